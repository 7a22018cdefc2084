-- Live events: one LISTEN/NOTIFY channel per user, `user:<id>` (41
-- characters; the limit is 63). A payload carries an event name and row ids
-- only (NOTIFY payloads are limited to 8000 bytes); the API re-reads the rows
-- under the subscriber's row-level security (src/server/plugins/user-events.ts).
-- NOTIFY is sent on commit, so a rolled-back change sends nothing.

create or replace function app_private.notify_user(user_id uuid, event text, ids jsonb default '{}') returns void as $$
    select pg_notify('user:' || user_id::text, (jsonb_build_object('event', event) || ids)::text);
$$ language sql volatile;

comment on function app_private.notify_user(uuid, text, jsonb) is
  'Sends a live event to every device of a user: {"event": ..., <ids>}.';

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
