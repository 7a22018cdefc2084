--! Previous: sha1:a40e5987106e1fea3939b1452e5f0e142150ab58
--! Hash: sha1:66874b40b0c018220181415203befec4608748cf
--! Message: Chat rules, video request uniqueness, reports, analytics

--------------------------------------------------------------------------------
-- Chat, video requests, reports and analytics (DESIGN.md "Chat", "Video
-- requests", "Safety and moderation", "Retention and analytics").
--------------------------------------------------------------------------------

-- Messages: 1-4000 characters; media messages carry an https URL. A deleted
-- message keeps its row (is_deleted) but loses its content and metadata.
alter table communication_schema.messages
    add constraint messages_content_1_to_4000_characters
        check (is_deleted or char_length(content) between 1 and 4000),
    add constraint messages_media_has_https_url
        check (is_deleted or message_type in ('text', 'system') or metadata ->> 'url' ~ '^https://[^[:space:]]+$');

-- Read receipts are looked up by reader, newest first, per room.
create index message_read_status_user_message on communication_schema.message_read_status (user_id, message_id);

-- At most one pending video request per connection.
create unique index video_requests_one_pending_per_connection
    on interaction_schema.video_requests (connection_id) where status = 'pending';

--------------------------------------------------------------------------------
-- Reports
--------------------------------------------------------------------------------

create table interaction_schema.reports (
    id uuid primary key default gen_random_uuid(),
    reporter_user_id uuid not null references user_schema.users (id) on delete cascade,
    reported_user_id uuid not null references user_schema.users (id) on delete cascade,
    reason text not null,
    interaction_log_id uuid references interaction_schema.interaction_logs (id) on delete set null,
    message_id uuid references communication_schema.messages (id) on delete set null,
    status text not null default 'open' check (status in ('open', 'resolved')),
    resolved_by_user_id uuid references user_schema.users (id) on delete set null,
    resolved_at timestamptz,
    created_at timestamptz not null default now(),
    constraint reports_reason_1_to_1000_characters check (char_length(btrim(reason)) between 1 and 1000),
    constraint reports_not_oneself check (reporter_user_id <> reported_user_id)
);

create index reports_open on interaction_schema.reports (created_at) where status = 'open';
create index reports_reporter_user_id on interaction_schema.reports (reporter_user_id);
create index reports_reported_user_id on interaction_schema.reports (reported_user_id);
create index reports_interaction_log_id on interaction_schema.reports (interaction_log_id);
create index reports_message_id on interaction_schema.reports (message_id);
create index reports_resolved_by_user_id on interaction_schema.reports (resolved_by_user_id);

comment on table interaction_schema.reports is 'A user reported another user, optionally pointing at a call or a message. Admins review them.';
comment on column interaction_schema.reports.id is 'Primary key.';
comment on column interaction_schema.reports.reporter_user_id is 'Who reported.';
comment on column interaction_schema.reports.reported_user_id is 'Who was reported.';
comment on column interaction_schema.reports.reason is 'What happened, in the reporter''s words (1-1000 characters).';
comment on column interaction_schema.reports.interaction_log_id is 'The call the report is about, if any (one of the two users'').';
comment on column interaction_schema.reports.message_id is 'The message the report is about, if any (sent by the reported user to the reporter).';
comment on column interaction_schema.reports.status is 'open, or resolved by an admin.';
comment on column interaction_schema.reports.resolved_by_user_id is 'The admin who resolved it.';
comment on column interaction_schema.reports.resolved_at is 'When it was resolved.';
comment on column interaction_schema.reports.created_at is 'When it was reported.';

--------------------------------------------------------------------------------
-- Analytics: an append-only event log written by triggers, and daily rollups.
-- Events hold no user ids: the rollups need none, and a deleted account
-- leaves nothing personal behind.
--------------------------------------------------------------------------------

create table analytics_schema.events (
    id bigint generated always as identity primary key,
    event_type text not null check (event_type in
        ('registered', 'queued', 'matched', 'call_ended', 'connected', 'message_sent', 'video_approved')),
    occurred_at timestamptz not null default now(),
    properties jsonb not null default '{}'
);

create index events_type_occurred_at on analytics_schema.events (event_type, occurred_at);

comment on table analytics_schema.events is 'Append-only log of product events, written by triggers; no user ids.';
comment on column analytics_schema.events.id is 'Primary key, in order of writing.';
comment on column analytics_schema.events.event_type is 'registered, queued, matched, call_ended, connected, message_sent or video_approved.';
comment on column analytics_schema.events.occurred_at is 'When it happened.';
comment on column analytics_schema.events.properties is 'Details: intent, interaction_type, outcome, duration_seconds, message_type, as the event has them.';

create table analytics_schema.daily_stats (
    day date primary key,
    registrations integer not null,
    matches integer not null,
    calls_ended integer not null,
    connections integer not null,
    median_call_seconds numeric,
    refreshed_at timestamptz not null default now()
);

comment on table analytics_schema.daily_stats is 'Per day (UTC): registrations, matches, ended calls, connections and the median voice call length. Refreshed by the worker.';
comment on column analytics_schema.daily_stats.day is 'The day (UTC).';
comment on column analytics_schema.daily_stats.registrations is 'Accounts registered.';
comment on column analytics_schema.daily_stats.matches is 'Random voice calls made by the matchmaker.';
comment on column analytics_schema.daily_stats.calls_ended is 'Voice calls that ended.';
comment on column analytics_schema.daily_stats.connections is 'Connections made.';
comment on column analytics_schema.daily_stats.median_call_seconds is 'Median length of the voice calls that ended (null: none).';
comment on column analytics_schema.daily_stats.refreshed_at is 'When this row was last computed.';

create table analytics_schema.daily_intent_stats (
    day date not null,
    intent text not null,
    matches integer not null,
    connections integer not null,
    connect_rate numeric,
    refreshed_at timestamptz not null default now(),
    primary key (day, intent)
);

comment on table analytics_schema.daily_intent_stats is 'Per day (UTC) and intent: matches, connections and the connect rate. Refreshed by the worker.';
comment on column analytics_schema.daily_intent_stats.day is 'The day (UTC).';
comment on column analytics_schema.daily_intent_stats.intent is 'The matched users'' intent.';
comment on column analytics_schema.daily_intent_stats.matches is 'Random voice calls made by the matchmaker.';
comment on column analytics_schema.daily_intent_stats.connections is 'Connections made from calls of that intent.';
comment on column analytics_schema.daily_intent_stats.connect_rate is 'connections / matches (null when there was no match).';
comment on column analytics_schema.daily_intent_stats.refreshed_at is 'When this row was last computed.';
