-- Who may take part in a call or a connection: exactly one male and one
-- female user (seed defect 3). Roles live in user_schema.users, so the rule
-- is a trigger rather than a CHECK constraint.

create or replace function app_private.female_of_pair(user_a uuid, user_b uuid)
returns uuid as $$
declare
    role_a text;
    role_b text;
begin
    select role into role_a from user_schema.users where id = user_a;
    select role into role_b from user_schema.users where id = user_b;
    if role_a is null or role_b is null then
        return null; -- an unknown user: the foreign keys refuse the row
    elsif role_a = 'male' and role_b = 'female' then
        return user_b;
    elsif role_a = 'female' and role_b = 'male' then
        return user_a;
    end if;
    raise exception 'A call or connection needs one male and one female participant, not % and %.', role_a, role_b
        using errcode = 'RPAIR';
end;
$$ language plpgsql stable security definer set search_path = pg_catalog, public;

comment on function app_private.female_of_pair(uuid, uuid) is
  'The female user of a male-female pair; raises RPAIR when the pair is not one male and one female, null when a user is unknown.';

create or replace function app_private.tg__check_female_participant()
returns trigger as $$
declare
    female_id uuid;
begin
    if new.user1_id = new.user2_id then
        return new; -- the table's CHECK constraint reports a pair with oneself
    end if;
    female_id := app_private.female_of_pair(new.user1_id, new.user2_id);
    if female_id is null then
        return new;
    end if;
    if new.female_user_id is null then
        new.female_user_id := female_id;
    elsif new.female_user_id <> female_id then
        raise exception 'female_user_id must be the female participant of the pair.'
            using errcode = 'RFEMA';
    end if;
    return new;
end;
$$ language plpgsql set search_path = pg_catalog, public;

comment on function app_private.tg__check_female_participant() is
  'Trigger for tables with user1_id, user2_id and female_user_id: the pair must be one male and one female, and female_user_id (filled in when null) must be the female.';

-- Decisions about a pair (match, connect, block) take this lock first, so
-- that two of them on the same pair never interleave: a block committing
-- while a connection is made waits for it, then ends it.
create or replace function app_private.lock_pair(user_a uuid, user_b uuid) returns void as $$
    select pg_advisory_xact_lock(hashtextextended(least(user_a, user_b)::text || greatest(user_a, user_b)::text, 0));
$$ language sql volatile;

comment on function app_private.lock_pair(uuid, uuid) is
  'Serializes the transactions that decide about this pair of users (either order), until commit.';
