-- Retention: the seed's cleanup functions, run by scheduled worker jobs.

create or replace function public.cleanup_expired_sessions()
returns void as $$
begin
    perform app_private.end_sessions(array(select id from user_schema.user_sessions where expires_at < current_timestamp), 'no_action');
end;
$$ language plpgsql set search_path = pg_catalog, public;

comment on function public.cleanup_expired_sessions() is
  'Deletes sessions whose expires_at has passed.';

create or replace function public.cleanup_old_interactions(retention_days integer default 365)
returns void as $$
begin
    delete from interaction_schema.interaction_logs
     where started_at < current_timestamp - interval '1 day' * retention_days
       and outcome in ('no_action', 'both_left', 'timeout');
end;
$$ language plpgsql set search_path = pg_catalog, public;

comment on function public.cleanup_old_interactions(integer) is
  'Deletes calls older than retention_days that did not lead to a connection (connected calls are kept: their connection refers to them).';
