-- analytics_schema.daily_stats and daily_intent_stats: the daily rollups of
-- the event log, and who may read them.
--
-- The worker (worker/tasks/refresh-daily-stats.ts) recomputes yesterday and
-- today every hour. A rollup is computed from analytics_schema.events alone,
-- so it can be recomputed for any day at any time and always gives the same
-- figures for a day that is over; the source tables are never read (their
-- rows may since have been deleted by the retention cleanup or a deleted
-- account).

create or replace function app_private.refresh_daily_stats(day date) returns void as $$
    -- One row per day (UTC): registrations, matches, ended voice calls and
    -- their median length, connections.
    insert into analytics_schema.daily_stats
        (day, registrations, matches, calls_ended, connections, median_call_seconds, refreshed_at)
    select refresh_daily_stats.day,
           count(*) filter (where e.event_type = 'registered'),
           count(*) filter (where e.event_type = 'matched'),
           count(*) filter (where e.event_type = 'call_ended' and e.properties ->> 'interaction_type' = 'voice_call'),
           count(*) filter (where e.event_type = 'connected'),
           (percentile_cont(0.5) within group (order by (e.properties ->> 'duration_seconds')::double precision)
               filter (where e.event_type = 'call_ended' and e.properties ->> 'interaction_type' = 'voice_call'))::numeric,
           now()
      from analytics_schema.events e
     where e.occurred_at >= refresh_daily_stats.day::timestamp at time zone 'UTC'
       and e.occurred_at < (refresh_daily_stats.day + 1)::timestamp at time zone 'UTC'
    on conflict (day) do update
       set registrations = excluded.registrations,
           matches = excluded.matches,
           calls_ended = excluded.calls_ended,
           connections = excluded.connections,
           median_call_seconds = excluded.median_call_seconds,
           refreshed_at = excluded.refreshed_at;

    -- Per intent: exactly the intents that had a match or a connection that
    -- day, so the day's old rows go first.
    delete from analytics_schema.daily_intent_stats s where s.day = refresh_daily_stats.day;

    insert into analytics_schema.daily_intent_stats (day, intent, matches, connections, connect_rate, refreshed_at)
    select refresh_daily_stats.day, counts.intent::user_schema.intent, counts.matches, counts.connections,
           round(counts.connections::numeric / nullif(counts.matches, 0), 4), now()
      from (select e.properties ->> 'intent' as intent,
                   count(*) filter (where e.event_type = 'matched') as matches,
                   count(*) filter (where e.event_type = 'connected') as connections
              from analytics_schema.events e
             where e.event_type in ('matched', 'connected')
               and e.properties ->> 'intent' is not null
               and e.occurred_at >= refresh_daily_stats.day::timestamp at time zone 'UTC'
               and e.occurred_at < (refresh_daily_stats.day + 1)::timestamp at time zone 'UTC'
             group by 1) as counts
    -- (a concurrent refresh of the same day may have inserted them meanwhile)
    on conflict (day, intent) do update
       set matches = excluded.matches,
           connections = excluded.connections,
           connect_rate = excluded.connect_rate,
           refreshed_at = excluded.refreshed_at;
$$ language sql volatile set search_path = pg_catalog, public;

comment on function app_private.refresh_daily_stats(date) is
  'Recomputes daily_stats and daily_intent_stats of one UTC day from analytics_schema.events. Run by the worker (refresh_daily_stats); granted to nobody.';

--------------------------------------------------------------------------------
-- Access: admins read the rollups; nobody writes them but the function above,
-- run by the owner.
--------------------------------------------------------------------------------

comment on table analytics_schema.daily_stats is E'@behavior -insert -update -delete\nPer day (UTC): registrations, matches, ended calls, connections and the median voice call length. Refreshed by the worker.';
comment on table analytics_schema.daily_intent_stats is E'@behavior -insert -update -delete\nPer day (UTC) and intent: matches, connections and the connect rate. Refreshed by the worker.';

alter table analytics_schema.daily_stats enable row level security;
alter table analytics_schema.daily_intent_stats enable row level security;

drop policy if exists select_all_as_admin on analytics_schema.daily_stats;
create policy select_all_as_admin on analytics_schema.daily_stats for select to rtc_admin
    using (true);

drop policy if exists select_all_as_admin on analytics_schema.daily_intent_stats;
create policy select_all_as_admin on analytics_schema.daily_intent_stats for select to rtc_admin
    using (true);

grant usage on schema analytics_schema to rtc_admin;
grant select on analytics_schema.daily_stats, analytics_schema.daily_intent_stats to rtc_admin;
