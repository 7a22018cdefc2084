-- Who may take part in a call or a connection: exactly one male and one
-- female user, never oneself. Roles live in user_schema.users, so the rule
-- is a trigger rather than a CHECK constraint.

create or replace function app_private.other_of_pair(user1_id uuid, user2_id uuid, one_of_them uuid) returns uuid as $$
    select case when user1_id = one_of_them then user2_id else user1_id end;
$$ language sql immutable;

comment on function app_private.other_of_pair(uuid, uuid, uuid) is
  'The other user of a pair (a call''s or a connection''s user1_id and user2_id), seen from one of them.';

-- It reads nothing: every role that runs rules may call it.
grant execute on function app_private.other_of_pair(uuid, uuid, uuid) to rtc_authenticator, rtc_visitor, rtc_user, rtc_admin;

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

--------------------------------------------------------------------------------
-- THE LOCK ORDER. Every function and trigger takes its locks in this order,
-- so two transactions can wait for each other but never deadlock:
--   1. user locks: app_private.lock_users / lock_pair, advisory, all of them
--      at once (key order), before any row. Held by whatever starts a call,
--      enters or leaves the queue, ends or sweeps devices, bans or deletes
--      an account, or decides about a pair (match, connect, block, unmatch,
--      video); ending a call needs none.
--   2. calls: interaction_logs rows (several in id order), with their
--      live_call_participants rows;
--   3. queue entries;
--   4. sessions (devices: status, log-out);
--   5. connections, then their chat rooms;
--   6. video requests.
-- A function that must read a later row to know which earlier lock to take
-- reads it unlocked first (a call's or a connection's users never change),
-- takes the lock, then reads it again. Every change of a connection or a
-- video request holds its pair's lock, so those rows need no row lock to be
-- read consistently.
--------------------------------------------------------------------------------

create or replace function app_private.lock_users(user_ids uuid[]) returns void as $$
declare
    lock_key bigint;
begin
    for lock_key in
        select distinct hashtextextended(user_id::text, 0) from unnest(user_ids) as user_id where user_id is not null order by 1
    loop
        perform pg_advisory_xact_lock(lock_key);
    end loop;
end;
$$ language plpgsql volatile;

comment on function app_private.lock_users(uuid[]) is
  'Takes the lock of each of these users, in one fixed order, until commit: the first step of the lock order.';

create or replace function app_private.lock_pair(user_a uuid, user_b uuid) returns void as $$
    select app_private.lock_users(array[user_a, user_b]);
$$ language sql volatile;

comment on function app_private.lock_pair(uuid, uuid) is
  'Takes the locks of both users (either order): a match, connect, block, unmatch or video decision about the pair never interleaves with another.';

create or replace function app_private.lock_pair_of_member(user_a uuid, user_b uuid) returns void as $$
begin
    if app_private.current_user_id() in (user_a, user_b) then
        perform app_private.lock_pair(user_a, user_b);
    end if;
end;
$$ language plpgsql volatile;

comment on function app_private.lock_pair_of_member(uuid, uuid) is
  'Takes the pair lock of these two users when the current user is one of them (nothing otherwise).';

create or replace function app_private.lock_pair_of_call(interaction_id uuid) returns void as $$
    select app_private.lock_pair_of_member(l.user1_id, l.user2_id) from interaction_schema.interaction_logs l where l.id = lock_pair_of_call.interaction_id;
$$ language sql volatile security definer set search_path = pg_catalog, public;

comment on function app_private.lock_pair_of_call(uuid) is
  'Takes the pair lock of a call the current user takes part in (nothing otherwise).';

create or replace function app_private.lock_pair_of_connection(connection_id uuid) returns void as $$
    select app_private.lock_pair_of_member(c.user1_id, c.user2_id) from interaction_schema.connections c where c.id = lock_pair_of_connection.connection_id;
$$ language sql volatile security definer set search_path = pg_catalog, public;

comment on function app_private.lock_pair_of_connection(uuid) is
  'Takes the pair lock of a connection the current user is in (nothing otherwise).';
