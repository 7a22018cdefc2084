-- Rate limits (README "Limits"): each rate-limited function calls
-- app_private.rate_limit(action, subject) first; past the rule's number of
-- actions per period it raises RRATE, with the seconds to wait in the message
-- and in DETAIL (the API passes them on as extensions.retryAfterSeconds).
-- A refused call does not count. One upsert on a primary key: cheap enough
-- for every chat message.

create or replace function app_private.rate_limit_rule(p_action text, out max_hits integer, out per interval) as $$
    -- The defaults, in one place; app_private.rate_limit_overrides replaces them.
    with defaults (action, max_hits, per) as (values
        ('register',               5,  interval '1 hour'),     -- per network address
        ('login',                  30, interval '15 minutes'), -- attempts per network address
        ('password_reset',         5,  interval '1 hour'),     -- requests per network address
        ('email_verification',     5,  interval '1 hour'),     -- resend requests per user
        ('mail',                   5,  interval '1 day'),      -- mails of one template per address, after 1, 3, 7, 15 minutes
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

create or replace function app_private.count_rate_limited(p_action text, p_subject text, p_backoff interval)
returns interval as $$
declare
    v_rule record;
    v_counted boolean;
    v_counter app_private.rate_limit_counters;
begin
    select * into v_rule from app_private.rate_limit_rule(p_action);
    if v_rule.max_hits is null then
        raise exception 'No rate limit named %.', p_action;
    end if;
    -- Counted when the window has passed, or it has room and the backoff
    -- since its start (p_backoff * (2^hits - 1)) has passed. The exponent is
    -- capped at 20 (2^20 backoffs outlast any window), so that a rule raised
    -- past 1,023 hits does not overflow.
    insert into app_private.rate_limit_counters as c (action, subject, window_started_at, hits)
    values (p_action, coalesce(p_subject, ''), now(), 1)
    on conflict (action, subject) do update
       set hits = case when c.window_started_at > now() - v_rule.per then c.hits + 1 else 1 end,
           window_started_at = case when c.window_started_at > now() - v_rule.per then c.window_started_at else now() end
     where c.window_started_at <= now() - v_rule.per
        or (c.hits < v_rule.max_hits and c.window_started_at + p_backoff * (power(2, least(c.hits, 20)) - 1) <= now())
    returning true into v_counted;
    if v_counted then
        return null;
    end if;
    select * into v_counter from app_private.rate_limit_counters c where c.action = p_action and c.subject = coalesce(p_subject, '');
    return case when v_counter.hits >= v_rule.max_hits then v_counter.window_started_at + v_rule.per
                else v_counter.window_started_at + p_backoff * (power(2, least(v_counter.hits, 20)) - 1) end - now();
end;
$$ language plpgsql volatile security definer set search_path = pg_catalog, public;

comment on function app_private.count_rate_limited(text, text, interval) is
  'Counts one action of the subject and returns null, or, past the rule or within the backoff, counts nothing and returns how long to wait.';

create or replace function app_private.rate_limit(p_action text, p_subject text) returns void as $$
declare
    v_wait interval := app_private.count_rate_limited(p_action, p_subject, interval '0');
begin
    if v_wait is not null then
        perform app_private.raise_rate_limited('Too many requests.', v_wait);
    end if;
end;
$$ language plpgsql volatile;

comment on function app_private.rate_limit(text, text) is
  'Counts one action of the subject; raises RRATE (retry after N seconds) past the action''s rule.';

create or replace function app_private.rate_limit_allows(p_action text, p_subject text, p_backoff interval) returns boolean as $$
    select app_private.count_rate_limited(p_action, p_subject, p_backoff) is null;
$$ language sql volatile;

comment on function app_private.rate_limit_allows(text, text, interval) is
  'Counts one action of the subject and returns true, or false past the rule or within the backoff (for limits that must not tell the caller, like mail).';

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
