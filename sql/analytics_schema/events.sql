-- analytics_schema.events: the triggers that write the product event log,
-- its append-only guard, and who may read it.
--
-- Each event is written by an AFTER trigger on the table where it happens, in
-- the same transaction: an event is logged exactly when its change commits,
-- whatever the path (API, worker, admin). Events hold no user ids: the daily
-- rollups (daily_stats.sql) need none, and a deleted account leaves nothing
-- personal behind. The intent of a call is its female participant's profile
-- intent (the matchmaker only pairs users of the same intent).

--------------------------------------------------------------------------------
-- Writing an event
--------------------------------------------------------------------------------

-- (The event type was text before it became an enum.)
drop function if exists app_private.log_event(text, jsonb);
create or replace function app_private.log_event(event_type analytics_schema.event_type, properties jsonb default '{}')
returns void as $$
    insert into analytics_schema.events (event_type, properties)
    values ($1, coalesce($2, '{}'));
$$ language sql volatile security definer set search_path = pg_catalog, public;

comment on function app_private.log_event(analytics_schema.event_type, jsonb) is
  'Appends one event to analytics_schema.events (no user ids). Used by the triggers of this file; granted to nobody.';

-- The intent of a user, read past row-level security (null without a profile).
create or replace function app_private.intent_of(user_id uuid) returns text as $$
    select p.intent::text from user_schema.profiles p where p.user_id = $1;
$$ language sql stable security definer set search_path = pg_catalog, public;

comment on function app_private.intent_of(uuid) is
  'The profile intent of a user (null when the user has no profile), for the analytics events.';

--------------------------------------------------------------------------------
-- registered: a male or female account was created (admins are not counted).
--------------------------------------------------------------------------------

create or replace function app_private.tg_users__log_registered()
returns trigger as $$
begin
    perform app_private.log_event('registered', '{}');
    return null;
end;
$$ language plpgsql security definer set search_path = pg_catalog, public;

comment on function app_private.tg_users__log_registered() is
  'Trigger: logs a registered event for a new male or female account.';

create or replace trigger users_log_registered
    after insert on user_schema.users
    for each row when (new.role in ('male', 'female'))
    execute function app_private.tg_users__log_registered();

--------------------------------------------------------------------------------
-- queued: a user entered the queue; properties {intent}.
--------------------------------------------------------------------------------

create or replace function app_private.tg_queue_entries__log_queued()
returns trigger as $$
begin
    perform app_private.log_event('queued', jsonb_build_object('intent', app_private.intent_of(new.user_id)));
    return null;
end;
$$ language plpgsql security definer set search_path = pg_catalog, public;

comment on function app_private.tg_queue_entries__log_queued() is
  'Trigger: logs a queued event with the user''s intent.';

create or replace trigger queue_entries_log_queued
    after insert on interaction_schema.queue_entries
    for each row execute function app_private.tg_queue_entries__log_queued();

--------------------------------------------------------------------------------
-- matched: the matchmaker made a voice call; properties {intent, interaction_type}.
-- call_ended: a call ended; properties {interaction_type, outcome,
-- duration_seconds, intent}. duration_seconds is set by the BEFORE trigger
-- interaction_logs_set_duration, so this AFTER trigger sees the final value;
-- outcome is the one the call has when it ends (a connection made after the
-- end, in the decision window, is its own connected event).
--------------------------------------------------------------------------------

create or replace function app_private.tg_interaction_logs__log_matched()
returns trigger as $$
begin
    perform app_private.log_event('matched', jsonb_build_object(
        'intent', app_private.intent_of(new.female_user_id),
        'interaction_type', new.interaction_type));
    return null;
end;
$$ language plpgsql security definer set search_path = pg_catalog, public;

comment on function app_private.tg_interaction_logs__log_matched() is
  'Trigger: logs a matched event for a new voice call, with the female participant''s intent.';

create or replace trigger interaction_logs_log_matched
    after insert on interaction_schema.interaction_logs
    for each row when (new.interaction_type = 'voice_call')
    execute function app_private.tg_interaction_logs__log_matched();

create or replace function app_private.tg_interaction_logs__log_call_ended()
returns trigger as $$
begin
    perform app_private.log_event('call_ended', jsonb_build_object(
        'interaction_type', new.interaction_type,
        'outcome', new.outcome,
        'duration_seconds', new.duration_seconds,
        'intent', app_private.intent_of(new.female_user_id)));
    return null;
end;
$$ language plpgsql security definer set search_path = pg_catalog, public;

comment on function app_private.tg_interaction_logs__log_call_ended() is
  'Trigger: logs a call_ended event (type, outcome, duration, the female participant''s intent) when a call''s ended_at is first set.';

-- No column list: the event depends on the row's change, not on the SET list.
create or replace trigger interaction_logs_log_call_ended
    after update on interaction_schema.interaction_logs
    for each row when (old.ended_at is null and new.ended_at is not null)
    execute function app_private.tg_interaction_logs__log_call_ended();

--------------------------------------------------------------------------------
-- connected: a connection was made; properties {intent} of the call's female
-- participant (the connection's female_user_id is that same user: RFEMA, RCONN).
--------------------------------------------------------------------------------

create or replace function app_private.tg_connections__log_connected()
returns trigger as $$
begin
    perform app_private.log_event('connected', jsonb_build_object('intent', app_private.intent_of(new.female_user_id)));
    return null;
end;
$$ language plpgsql security definer set search_path = pg_catalog, public;

comment on function app_private.tg_connections__log_connected() is
  'Trigger: logs a connected event with the intent of the call''s female participant.';

create or replace trigger connections_log_connected
    after insert on interaction_schema.connections
    for each row execute function app_private.tg_connections__log_connected();

--------------------------------------------------------------------------------
-- message_sent: a user sent a chat message (system messages are not counted);
-- properties {message_type}.
--------------------------------------------------------------------------------

create or replace function app_private.tg_messages__log_message_sent()
returns trigger as $$
begin
    perform app_private.log_event('message_sent', jsonb_build_object('message_type', new.message_type));
    return null;
end;
$$ language plpgsql security definer set search_path = pg_catalog, public;

comment on function app_private.tg_messages__log_message_sent() is
  'Trigger: logs a message_sent event with the message type for every message but system ones.';

create or replace trigger messages_log_message_sent
    after insert on communication_schema.messages
    for each row when (new.message_type is distinct from 'system')
    execute function app_private.tg_messages__log_message_sent();

--------------------------------------------------------------------------------
-- video_approved: the female participant approved a video request.
--------------------------------------------------------------------------------

create or replace function app_private.tg_video_requests__log_video_approved()
returns trigger as $$
begin
    perform app_private.log_event('video_approved', '{}');
    return null;
end;
$$ language plpgsql security definer set search_path = pg_catalog, public;

comment on function app_private.tg_video_requests__log_video_approved() is
  'Trigger: logs a video_approved event when a video request''s status becomes approved.';

create or replace trigger video_requests_log_video_approved
    after update on interaction_schema.video_requests
    for each row when (new.status = 'approved' and old.status is distinct from 'approved')
    execute function app_private.tg_video_requests__log_video_approved();

--------------------------------------------------------------------------------
-- Append-only: no event is ever changed or removed, not even by the owner
-- (TRUNCATE does not fire row triggers, hence the statement trigger).
--------------------------------------------------------------------------------

create or replace function app_private.tg_events__append_only()
returns trigger as $$
begin
    raise exception 'Analytics events are append-only: they cannot be updated, deleted or truncated.'
        using errcode = 'RAPND';
end;
$$ language plpgsql;

comment on function app_private.tg_events__append_only() is
  'Trigger: refuses any UPDATE, DELETE or TRUNCATE of analytics_schema.events (RAPND).';

create or replace trigger events_append_only
    before update or delete on analytics_schema.events
    for each row execute function app_private.tg_events__append_only();

create or replace trigger events_append_only_truncate
    before truncate on analytics_schema.events
    for each statement execute function app_private.tg_events__append_only();

--------------------------------------------------------------------------------
-- Access: admins read the log; nobody else, and nobody writes it but the
-- triggers above.
--------------------------------------------------------------------------------

comment on table analytics_schema.events is E'@behavior -insert -update -delete\nAppend-only log of product events, written by triggers; no user ids.';

alter table analytics_schema.events enable row level security;

drop policy if exists select_all_as_admin on analytics_schema.events;
create policy select_all_as_admin on analytics_schema.events for select to rtc_admin
    using (true);

grant usage on schema analytics_schema to rtc_admin;
grant select on analytics_schema.events to rtc_admin;
