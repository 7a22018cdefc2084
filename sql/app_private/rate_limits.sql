-- Rate limits (README "Limits"): each rate-limited function calls
-- app_private.rate_limit(action, subject) first; past the rule's number of
-- actions per period it raises RRATE, with the seconds to wait in the message
-- and in DETAIL (the API passes them on as extensions.retryAfterSeconds).
-- A refused call rolls back, so it does not count. One upsert on a primary
-- key: cheap enough for every chat message.

create or replace function app_private.rate_limit_rule(p_action text, out max_hits integer, out per interval) as $$
    -- The defaults, in one place; app_private.rate_limit_overrides replaces them.
    with defaults (action, max_hits, per) as (values
        ('register',               5,  interval '1 hour'),     -- per network address
        ('login',                  30, interval '15 minutes'), -- attempts per network address
        ('password_reset',         5,  interval '1 hour'),     -- requests per network address
        ('email_verification',     5,  interval '1 hour'),     -- resend requests per user
        ('mail',                   5,  interval '1 day'),      -- mails per address (verification and reset together)
        ('queue',                  30, interval '1 minute'),   -- enterQueue and leaveQueue per user
        ('send_message',           60, interval '1 minute'),   -- per user
        ('send_typing',            30, interval '1 minute'),   -- per user
        ('request_video',          10, interval '1 day'),      -- per user
        ('report_user',            10, interval '1 hour')      -- per user
    )
    select coalesce(o.max_hits, d.max_hits), coalesce(o.per, d.per)
      from defaults d left join app_private.rate_limit_overrides o on o.action = d.action
     where d.action = p_action;
$$ language sql stable set search_path = pg_catalog, public;

comment on function app_private.rate_limit_rule(text) is
  'At most max_hits actions per period for each subject: the default, or its override.';

create or replace function app_private.raise_rate_limited(p_what text, p_retry_after interval) returns void as $$
declare
    v_seconds integer := greatest(1, ceil(extract(epoch from p_retry_after)))::integer;
begin
    raise exception '% Try again in % seconds.', p_what, v_seconds using errcode = 'RRATE', detail = v_seconds::text;
end;
$$ language plpgsql immutable;

comment on function app_private.raise_rate_limited(text, interval) is
  'Raises RRATE with the seconds to wait (message and DETAIL).';

create or replace function app_private.rate_limit(p_action text, p_subject text) returns void as $$
declare
    v_rule record;
    v_hits integer;
    v_window_started_at timestamptz;
begin
    select * into v_rule from app_private.rate_limit_rule(p_action);
    if v_rule.max_hits is null then
        raise exception 'No rate limit named %.', p_action;
    end if;
    insert into app_private.rate_limit_counters as c (action, subject, window_started_at, hits)
    values (p_action, coalesce(p_subject, ''), now(), 1)
    on conflict (action, subject) do update
       set hits = case when c.window_started_at > now() - v_rule.per then c.hits + 1 else 1 end,
           window_started_at = case when c.window_started_at > now() - v_rule.per then c.window_started_at else now() end
    returning c.hits, c.window_started_at into v_hits, v_window_started_at;
    if v_hits > v_rule.max_hits then
        perform app_private.raise_rate_limited('Too many requests.', v_window_started_at + v_rule.per - now());
    end if;
end;
$$ language plpgsql volatile security definer set search_path = pg_catalog, public;

comment on function app_private.rate_limit(text, text) is
  'Counts one action of the subject; raises RRATE (retry after N seconds) past the action''s rule.';

create or replace function app_private.client_subject() returns text as $$
    select 'ip:' || coalesce(nullif(current_setting('rtc.ip_address', true), ''), 'unknown');
$$ language sql stable;

comment on function app_private.client_subject() is
  'The rate-limit subject of the calling client''s network address (set by the API for each request).';

create or replace function app_private.user_subject(p_user_id uuid) returns text as $$
    select 'user:' || p_user_id::text;
$$ language sql immutable;

comment on function app_private.user_subject(uuid) is
  'The rate-limit subject of a user.';

create or replace function app_private.cleanup_rate_limits() returns void as $$
    -- No rule's period is longer than a day.
    delete from app_private.rate_limit_counters c where c.window_started_at < now() - interval '1 day';
$$ language sql volatile;

comment on function app_private.cleanup_rate_limits() is
  'Deletes the counters whose window has surely passed (run with the session clean-up).';
