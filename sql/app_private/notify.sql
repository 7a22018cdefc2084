-- Live events: one LISTEN/NOTIFY channel per user, named here only (the API
-- asks app_private.live_events_channel, sql/communication_schema/chat.sql).
-- The database decides, when the change commits, who receives an event: the
-- users it notifies. A payload is the event's name, the ids of its rows and,
-- when they fit NOTIFY's 8000-byte limit, the rows themselves, so that the
-- API delivers them without reading them again; a payload too big for its
-- rows carries the ids only, and the API re-reads those rows under the
-- subscriber's row-level security (src/server/plugins/live-events.ts).
-- NOTIFY is sent on commit, so a rolled-back change sends nothing.

create or replace function app_private.user_channel(user_id uuid) returns text as $$
    select 'user:' || user_id::text;
$$ language sql immutable;

comment on function app_private.user_channel(uuid) is
  'The LISTEN/NOTIFY channel of a user''s live events: user:<id> (41 characters; the limit is 63).';

-- (Payloads carried ids only before they carried rows.)
drop function if exists app_private.notify_user(uuid, text, jsonb);

create or replace function app_private.live_event_payload(event text, ids jsonb default '{}', carried_rows jsonb default '{}') returns text as $$
    select case when octet_length(with_rows) < 8000 then with_rows else (jsonb_build_object('event', event) || ids)::text end
      from (select (jsonb_build_object('event', event) || ids || carried_rows)::text as with_rows) payload;
$$ language sql immutable;

comment on function app_private.live_event_payload(text, jsonb, jsonb) is
  'A live event''s NOTIFY payload: {"event": ..., <ids>, <carried rows>}, the rows left out when they would not fit in NOTIFY''s 8000 bytes.';

create or replace function app_private.notify_users(user_ids uuid[], event text, ids jsonb default '{}', carried_rows jsonb default '{}') returns void as $$
declare
    payload text := app_private.live_event_payload(event, ids, carried_rows);
    recipient uuid;
begin
    foreach recipient in array user_ids loop
        perform pg_notify(app_private.user_channel(recipient), payload);
    end loop;
end;
$$ language plpgsql volatile;

comment on function app_private.notify_users(uuid[], text, jsonb, jsonb) is
  'Sends one live event to every device of each of the users, one NOTIFY per user (app_private.live_event_payload, built once).';

create or replace function app_private.notify_user(user_id uuid, event text, ids jsonb default '{}', carried_rows jsonb default '{}') returns void as $$
    select app_private.notify_users(array[user_id], event, ids, carried_rows);
$$ language sql volatile;

comment on function app_private.notify_user(uuid, text, jsonb, jsonb) is
  'Sends a live event to every device of a user (app_private.notify_users).';

-- Queues a worker job from SQL. API roles never call graphile_worker directly.
create or replace function app_private.add_job(task text, payload json default '{}', run_at timestamptz default now(), job_key text default null)
returns void as $$
begin
    if job_key is null then
        perform graphile_worker.add_job(task, payload, run_at := run_at);
    else
        perform graphile_worker.add_job(task, payload, run_at := run_at, job_key := job_key, job_key_mode := 'preserve_run_at');
    end if;
end;
$$ language plpgsql volatile security definer set search_path = pg_catalog, public;

comment on function app_private.add_job(text, json, timestamptz, text) is
  'Queues a graphile-worker job; with a job key, a burst of calls makes one job (the earliest run time wins).';
