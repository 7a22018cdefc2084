-- The queue and the matchmaker's database side. Users enter and leave the queue here; the worker task
-- match_queue (worker/tasks/match-queue.ts) reads the queue, computes pairs,
-- and writes each one with app_private.create_match, which re-checks every
-- rule under both users' locks: any number of matchmakers may run at once.

--------------------------------------------------------------------------------
-- Who may be matched with whom
--------------------------------------------------------------------------------

create or replace function app_private.ages_accept(preferences jsonb, age integer) returns boolean as $$
    select age is not null
       and age >= coalesce((preferences ->> 'age_min')::integer, 0)
       and age <= coalesce((preferences ->> 'age_max')::integer, 1000);
$$ language sql immutable;

comment on function app_private.ages_accept(jsonb, integer) is
  'True when the age is inside the preferred range (preferences.age_min / age_max, each optional).';

-- Countries and cities compare after this one normalisation, in SQL and in
-- the matchmaker alike (it gets them from queue_snapshot): Unicode lower case
-- by ICU's root collation (the database's own may be C, which folds ASCII
-- only), compatibility decomposition with the combining marks dropped, and
-- spaces collapsed. So "Österreich", "österreich" and "Osterreich" are one
-- country, "İzmir" and "izmir" one city.
create or replace function app_private.normalized_place(place text) returns text as $$
    select nullif(btrim(regexp_replace(
               regexp_replace(normalize(lower(place collate "und-x-icu"), NFKD), '[\u0300-\u036f]', '', 'g'),
               '\s+', ' ', 'g')), '');
$$ language sql immutable parallel safe;

comment on function app_private.normalized_place(text) is
  'A country or city as matching compares it: Unicode lower case, without accents, spaces collapsed; null when empty.';

create or replace function app_private.can_match(male_id uuid, female_id uuid) returns boolean as $$
    select exists (
        select 1
          from user_schema.users m
          join user_schema.profiles mp on mp.user_id = m.id
          join user_schema.users f on f.id = female_id
          join user_schema.profiles fp on fp.user_id = f.id
         where m.id = male_id
           and m.role = 'male' and f.role = 'female'
           and m.is_active and f.is_active
           and mp.intent = fp.intent
           and app_private.ages_accept(mp.preferences, fp.age)
           and app_private.ages_accept(fp.preferences, mp.age)
           and (not coalesce((mp.preferences ->> 'same_country_only')::boolean, false)
                    and not coalesce((fp.preferences ->> 'same_country_only')::boolean, false)
                or app_private.normalized_place(mp.location_country) = app_private.normalized_place(fp.location_country))
    )
    and not exists (
        select 1 from interaction_schema.blocks b
         where (b.blocker_user_id, b.blocked_user_id) in ((male_id, female_id), (female_id, male_id))
    )
    and not exists (
        select 1 from interaction_schema.connections c
         where c.user1_id = least(male_id, female_id) and c.user2_id = greatest(male_id, female_id)
    )
    and not exists (
        select 1 from interaction_schema.interaction_logs l
         where ((l.user1_id = male_id and l.user2_id = female_id) or (l.user1_id = female_id and l.user2_id = male_id))
           and l.started_at > now() - app_private.rematch_cooldown()
    )
    and not exists (
        select 1 from app_private.live_call_participants p where p.user_id in (male_id, female_id)
    );
$$ language sql stable security definer set search_path = pg_catalog, public;

comment on function app_private.can_match(uuid, uuid) is
  'Every matching rule: one active male and one active female with the same intent, each inside the other''s age range, same country when either asks for it, neither blocked by the other, never connected, not matched in the last 24 hours, neither in a live call.';

--------------------------------------------------------------------------------
-- What the matchmaker reads
--------------------------------------------------------------------------------

create or replace function app_private.queue_snapshot()
returns table (
    user_id uuid, role text, intent text, age integer, age_min integer, age_max integer,
    same_country_only boolean, country text, city text, queued_at timestamptz
) as $$
    select q.user_id, u.role, p.intent, p.age,
           (p.preferences ->> 'age_min')::integer, (p.preferences ->> 'age_max')::integer,
           coalesce((p.preferences ->> 'same_country_only')::boolean, false),
           app_private.normalized_place(p.location_country), app_private.normalized_place(p.location_city), q.queued_at
      from interaction_schema.queue_entries q
      join user_schema.users u on u.id = q.user_id
      join user_schema.profiles p on p.user_id = q.user_id
     order by q.queued_at, q.user_id;
$$ language sql stable set search_path = pg_catalog, public;

comment on function app_private.queue_snapshot() is
  'The queue with what the pairing needs of each user (country and city normalised), longest-waiting first.';

create or replace function app_private.queue_exclusions() returns table (user_a uuid, user_b uuid) as $$
    with queued as (select user_id from interaction_schema.queue_entries)
    select b.blocker_user_id, b.blocked_user_id
      from interaction_schema.blocks b
     where b.blocker_user_id in (select user_id from queued) and b.blocked_user_id in (select user_id from queued)
    union
    select c.user1_id, c.user2_id
      from interaction_schema.connections c
     where c.user1_id in (select user_id from queued) and c.user2_id in (select user_id from queued)
    union
    select l.user1_id, l.user2_id
      from interaction_schema.interaction_logs l
     where l.started_at > now() - app_private.rematch_cooldown()
       and l.user1_id in (select user_id from queued) and l.user2_id in (select user_id from queued);
$$ language sql stable set search_path = pg_catalog, public;

comment on function app_private.queue_exclusions() is
  'Pairs of queued users that must not be matched: blocked, connected, or matched within the last 24 hours (either order).';

--------------------------------------------------------------------------------
-- Writing a match
--------------------------------------------------------------------------------

create or replace function app_private.create_match(male_id uuid, female_id uuid) returns uuid as $$
declare
    male_session_id uuid;
    female_session_id uuid;
    call_id uuid;
begin
    -- Both users' locks first (the lock order, participants.sql): matchmakers
    -- running at once wait for each other, and whoever comes second finds an
    -- entry gone (or a user in a call) and skips the pair.
    perform app_private.lock_pair(male_id, female_id);
    select session_id into male_session_id from interaction_schema.queue_entries where user_id = male_id;
    select session_id into female_session_id from interaction_schema.queue_entries where user_id = female_id;
    if male_session_id is null or female_session_id is null or not app_private.can_match(male_id, female_id) then
        return null;
    end if;

    begin
        insert into interaction_schema.interaction_logs (user1_id, user2_id, room_id, interaction_type, female_user_id)
        values (male_id, female_id, app_private.new_token(), 'voice_call', female_id)
        returning id into call_id;
    exception when unique_violation then
        return null; -- one of them is in another call (live_call_participants)
    end;

    delete from interaction_schema.queue_entries where user_id in (male_id, female_id);
    update user_schema.user_sessions set status = 'in-call' where id in (male_session_id, female_session_id);

    perform app_private.notify_users(array[male_id, female_id], 'matched', jsonb_build_object('interaction_id', call_id));
    perform app_private.schedule_call_deadlines();
    return call_id;
end;
$$ language plpgsql volatile set search_path = pg_catalog, public;

comment on function app_private.create_match(uuid, uuid) is
  'Matches a queued male and female for a voice call, re-checking every rule under both users'' locks. Creates the call (random room_id), takes both out of the queue, puts their devices in-call, tells both, and schedules the call''s timeouts. Returns the call, or null when the pair can no longer be matched.';

--------------------------------------------------------------------------------
-- Entering and leaving the queue
--------------------------------------------------------------------------------

create or replace function interaction_schema.enter_queue() returns interaction_schema.queue_entries as $$
declare
    me user_schema.users;
    device user_schema.user_sessions;
    entry interaction_schema.queue_entries;
begin
    -- The rate limit's counter is taken before any other lock, in every function.
    perform app_private.rate_limit('queue', app_private.user_subject(app_private.require_user_id()));
    perform app_private.lock_users(array[app_private.require_user_id()]); -- no call starts meanwhile
    select * into me from user_schema.users where id = app_private.require_user_id();
    select * into device from user_schema.user_sessions where id = app_private.current_session_id();
    if me.role not in ('male', 'female') then
        raise exception 'Only male and female users can enter the queue.' using errcode = 'RQROL';
    end if;
    if exists (select 1 from app_private.live_call_participants where user_id = me.id) then
        raise exception 'You are in a call.' using errcode = 'RINCL';
    end if;
    if device.status = 'offline' then
        raise exception 'This device is offline: send a heartbeat first.' using errcode = 'ROFFL';
    end if;
    if exists (select 1 from user_schema.profiles where user_id = me.id and (age is null or intent is null)) then
        raise exception 'Set your age and intent before entering the queue.' using errcode = 'RPROF';
    end if;

    select * into entry from interaction_schema.queue_entries where user_id = me.id;
    if entry.user_id is not null then
        if entry.session_id <> device.id then
            raise exception 'You are already in the queue on another device.' using errcode = 'RQUED';
        end if;
        return entry; -- already queuing from this device
    end if;

    begin
        insert into interaction_schema.queue_entries (user_id, session_id) values (me.id, device.id) returning * into entry;
    exception when unique_violation then
        raise exception 'You are already in the queue on another device.' using errcode = 'RQUED';
    end;
    update user_schema.user_sessions set status = 'queuing' where id = device.id;
    -- One matchmaker run for a burst of joins; a cron entry is the safety net.
    perform app_private.add_job('match_queue', job_key := 'match_queue');
    return entry;
end;
$$ language plpgsql volatile security definer set search_path = pg_catalog, public;

comment on function interaction_schema.enter_queue() is
  'Enters the queue for a random call, from this device. Needs an active male or female user, online, not in a call, with age and intent set. Calling it again from the same device changes nothing.';

create or replace function interaction_schema.leave_queue() returns boolean as $$
begin
    perform app_private.rate_limit('queue', app_private.user_subject(app_private.require_user_id()));
    perform app_private.lock_users(array[app_private.require_user_id()]);
    -- (the device goes back online through the trigger below)
    delete from interaction_schema.queue_entries where user_id = app_private.require_user_id();
    return found;
end;
$$ language plpgsql volatile security definer set search_path = pg_catalog, public;

comment on function interaction_schema.leave_queue() is
  'Leaves the queue. Returns false when the user was not in it.';

-- However an entry goes (leave_queue, a match, the sweep, a ban), its device
-- is no longer queuing.
create or replace function app_private.tg_queue_entries__device_back_online()
returns trigger as $$
begin
    update user_schema.user_sessions set status = 'online' where id = old.session_id and status = 'queuing';
    return null;
end;
$$ language plpgsql security definer set search_path = pg_catalog, public;

comment on function app_private.tg_queue_entries__device_back_online() is
  'Trigger: a device whose queue entry is gone is no longer queuing.';

create or replace trigger queue_entries_device_back_online
    after delete on interaction_schema.queue_entries
    for each row execute function app_private.tg_queue_entries__device_back_online();

comment on table interaction_schema.queue_entries is E'@behavior -insert -update -delete\nUsers waiting for a random call: at most one entry per user, from one device.';

alter table interaction_schema.queue_entries enable row level security;

drop policy if exists select_own on interaction_schema.queue_entries;
create policy select_own on interaction_schema.queue_entries for select to rtc_user
    using (user_id = (select app_private.current_user_id()));

grant select on interaction_schema.queue_entries to rtc_user;
grant execute on function interaction_schema.enter_queue(), interaction_schema.leave_queue() to rtc_user;
