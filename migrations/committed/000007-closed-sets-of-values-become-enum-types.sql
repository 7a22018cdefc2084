--! Previous: sha1:652b105a0c889083e4ecafc5cf64aca541cc17b6
--! Hash: sha1:d8d780ab4b57d69e780e280a4988618b32214d34
--! Message: Closed sets of values become enum types

--------------------------------------------------------------------------------
-- Closed sets of values become Postgres enum types, so that the GraphQL API
-- shows them as enums (autocomplete, a wrong value refused by validation)
-- for columns and function arguments alike. The seed's columns were
-- varchar(20) or varchar(50) with a CHECK listing the values; an enum table
-- would keep them varchar, but PostGraphile turns only columns (not
-- function arguments) into an enum table's enum, so the columns change to the
-- enum types. The values and their order are the seed's; the CHECKs that
-- listed them go, as the type now says it.
--------------------------------------------------------------------------------

-- The view and its field read profiles.intent; sql/ re-creates both.
drop view if exists user_schema.public_profiles cascade;

-- Triggers whose WHEN or UPDATE OF reads these columns block the change;
-- sql/ re-creates them.
drop trigger if exists users_role_is_fixed on user_schema.users;
drop trigger if exists users_log_registered on user_schema.users;
drop trigger if exists user_sessions_notify_partners_on_status on user_schema.user_sessions;
drop trigger if exists user_sessions_hang_up on user_schema.user_sessions;
drop trigger if exists interaction_logs_log_matched on interaction_schema.interaction_logs;
drop trigger if exists messages_log_message_sent on communication_schema.messages;
drop trigger if exists video_requests_log_video_approved on interaction_schema.video_requests;

-- Partial indexes on these columns are rebuilt after the change (their
-- predicates would otherwise compare through a text cast, not immutable).
drop index user_schema.user_sessions_last_seen_at;
drop index interaction_schema.video_requests_one_pending_per_connection;
drop index interaction_schema.reports_open;

-- Rebuilt below with an enum comparison instead of a text cast.
alter table communication_schema.messages drop constraint messages_media_has_https_url;

create type user_schema.user_role as enum ('male', 'female', 'admin');
create type user_schema.intent as enum ('casual', 'friends', 'serious', 'networking');
create type user_schema.device_status as enum ('online', 'offline', 'in-call', 'queuing');
create type user_schema.presence as enum ('online', 'in-call', 'offline');
create type interaction_schema.interaction_type as enum ('voice_call', 'video_call');
create type interaction_schema.call_outcome as enum ('no_action', 'female_connected', 'both_left', 'timeout');
create type interaction_schema.connection_type as enum ('chat_only', 'video_enabled');
create type interaction_schema.video_request_status as enum ('pending', 'approved', 'rejected', 'expired');
create type interaction_schema.call_signal_kind as enum ('offer', 'answer', 'ice', 'hangup');
create type interaction_schema.report_status as enum ('open', 'resolved');
create type communication_schema.message_type as enum ('text', 'image', 'video', 'voice', 'system');
create type analytics_schema.event_type as enum
    ('registered', 'queued', 'matched', 'call_ended', 'connected', 'message_sent', 'video_approved');

alter table user_schema.users
    drop constraint users_role_check,
    alter column role type user_schema.user_role using role::text::user_schema.user_role;

alter table user_schema.profiles
    drop constraint profiles_intent_check,
    alter column intent drop default,
    alter column intent type user_schema.intent using intent::text::user_schema.intent,
    alter column intent set default 'casual';

alter table user_schema.user_sessions
    drop constraint user_sessions_status_check,
    alter column status drop default,
    alter column status type user_schema.device_status using status::text::user_schema.device_status,
    alter column status set default 'offline';

alter table interaction_schema.interaction_logs
    drop constraint interaction_logs_interaction_type_check,
    drop constraint interaction_logs_outcome_check,
    alter column interaction_type drop default,
    alter column interaction_type type interaction_schema.interaction_type
        using interaction_type::text::interaction_schema.interaction_type,
    alter column interaction_type set default 'voice_call',
    alter column outcome drop default,
    alter column outcome type interaction_schema.call_outcome using outcome::text::interaction_schema.call_outcome,
    alter column outcome set default 'no_action';

alter table interaction_schema.connections
    drop constraint connections_connection_type_check,
    alter column connection_type drop default,
    alter column connection_type type interaction_schema.connection_type
        using connection_type::text::interaction_schema.connection_type,
    alter column connection_type set default 'chat_only';

alter table interaction_schema.video_requests
    drop constraint video_requests_status_check,
    alter column status drop default,
    alter column status type interaction_schema.video_request_status
        using status::text::interaction_schema.video_request_status,
    alter column status set default 'pending';

alter table interaction_schema.call_signals
    drop constraint call_signals_kind_check,
    alter column kind type interaction_schema.call_signal_kind using kind::interaction_schema.call_signal_kind;

alter table interaction_schema.reports
    drop constraint reports_status_check,
    alter column status drop default,
    alter column status type interaction_schema.report_status using status::interaction_schema.report_status,
    alter column status set default 'open';

alter table communication_schema.messages
    drop constraint messages_message_type_check,
    alter column message_type drop default,
    alter column message_type type communication_schema.message_type
        using message_type::text::communication_schema.message_type,
    alter column message_type set default 'text';

alter table analytics_schema.events
    drop constraint events_event_type_check,
    alter column event_type type analytics_schema.event_type using event_type::analytics_schema.event_type;

alter table analytics_schema.daily_intent_stats
    alter column intent type user_schema.intent using intent::user_schema.intent;

alter table communication_schema.messages
    add constraint messages_media_has_https_url
        check (is_deleted or message_type in ('text', 'system') or metadata ->> 'url' ~ '^https://[^[:space:]]+$');

create index user_sessions_last_seen_at on user_schema.user_sessions (last_seen_at) where status <> 'offline';
create unique index video_requests_one_pending_per_connection
    on interaction_schema.video_requests (connection_id) where status = 'pending';
create index reports_open on interaction_schema.reports (created_at) where status = 'open';

comment on type user_schema.user_role is E'@value male A man: he queues, calls, and may ask a connection for video.\n@value female A woman: she queues, calls, and alone decides to connect and to allow video.\n@value admin An administrator: moderates, never queues.\nWhat an account is; fixed when it is created.';
comment on type user_schema.intent is E'@value casual Casual conversation.\n@value friends Looking for friends.\n@value serious Looking for a serious relationship.\n@value networking Professional networking.\nWhat a user is looking for; matches share it.';
comment on type user_schema.device_status is E'@value online Logged in and heartbeating, not queued or in a call.\n@value offline Logged out, or no heartbeat for 90 seconds.\n@value in-call In a call on this device.\n@value queuing Waiting in the queue on this device.\nThe presence of one device (session).';
comment on type user_schema.presence is E'@value online Reachable (a device is online or queuing).\n@value in-call In a call.\n@value offline No device online.\nA user''s presence as others see it: the best of their devices.';
comment on type interaction_schema.interaction_type is E'@value voice_call A random voice call made by the matchmaker.\n@value video_call A video call between connected users.\nThe kind of a call.';
comment on type interaction_schema.call_outcome is E'@value no_action Nothing decided (yet): the call is live, or ended without a decision.\n@value female_connected She connected: the pair can chat.\n@value both_left Both participants passed.\n@value timeout The call was ended by a deadline (not joined in time, too long, a device gone).\nHow a call turned out.';
comment on type interaction_schema.connection_type is E'@value chat_only Chat only.\n@value video_enabled She approved video: either side can start a video call.\nWhat a connection allows.';
comment on type interaction_schema.video_request_status is E'@value pending Waiting for her answer.\n@value approved She approved: the connection is video_enabled.\n@value rejected She declined.\n@value expired Not answered within 24 hours.\nWhere a video request stands.';
comment on type interaction_schema.call_signal_kind is E'@value offer A WebRTC SDP offer.\n@value answer A WebRTC SDP answer.\n@value ice A WebRTC ICE candidate.\n@value hangup Hanging up: ends the call.\nThe kind of a call signaling message.';
comment on type interaction_schema.report_status is E'@value open Waiting for an admin.\n@value resolved An admin resolved it.\nWhere a report stands.';
comment on type communication_schema.message_type is E'@value text Text.\n@value image An image at metadata.url (https).\n@value video A video at metadata.url (https).\n@value voice A voice note at metadata.url (https).\n@value system Written by the database (for example when she connects); never sent by a user.\nThe kind of a chat message.';
comment on type analytics_schema.event_type is E'@value registered An account was registered.\n@value queued A user entered the queue.\n@value matched The matchmaker made a call.\n@value call_ended A call ended.\n@value connected She connected after a call.\n@value message_sent A chat message was sent.\n@value video_approved She approved video.\nThe kind of an analytics event.';
