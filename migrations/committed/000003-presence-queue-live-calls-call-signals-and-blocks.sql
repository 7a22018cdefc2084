--! Previous: sha1:e6a2524881b91adb1a05a1195c29aa334a0e09ba
--! Hash: sha1:a40e5987106e1fea3939b1452e5f0e142150ab58
--! Message: Presence, queue, live calls, call signals and blocks

--------------------------------------------------------------------------------
-- Presence, the queue, calls and blocks (DESIGN.md "Sessions and presence",
-- "Queue and matchmaking", "Calls", "Safety and moderation").
--------------------------------------------------------------------------------

-- Presence: each device heartbeats; a session not seen for the presence
-- timeout is swept offline by the worker.
alter table user_schema.user_sessions
    add column last_seen_at timestamptz not null default now();

comment on column user_schema.user_sessions.last_seen_at is 'Last heartbeat (or log-in) of this device.';

create index user_sessions_last_seen_at on user_schema.user_sessions (last_seen_at) where status <> 'offline';

--------------------------------------------------------------------------------
-- Calls: who joined, who passed; duration and end are set by the database.
--------------------------------------------------------------------------------

alter table interaction_schema.interaction_logs
    add column user1_joined_at timestamptz,
    add column user2_joined_at timestamptz,
    add column user1_passed boolean not null default false,
    add column user2_passed boolean not null default false;

comment on column interaction_schema.interaction_logs.user1_joined_at is 'When user1 joined the call''s room (null: not yet).';
comment on column interaction_schema.interaction_logs.user2_joined_at is 'When user2 joined the call''s room (null: not yet).';
comment on column interaction_schema.interaction_logs.user1_passed is 'True once user1 chose to skip this person.';
comment on column interaction_schema.interaction_logs.user2_passed is 'True once user2 chose to skip this person.';

create index interaction_logs_live on interaction_schema.interaction_logs (started_at) where ended_at is null;

-- At most one live call per user, across all devices, held by a primary key:
-- a row per participant while the call is live (maintained by triggers).
create table app_private.live_call_participants (
    user_id uuid primary key references user_schema.users (id) on delete cascade,
    interaction_id uuid not null references interaction_schema.interaction_logs (id) on delete cascade
);

comment on table app_private.live_call_participants is 'Who is in a live call: one row per participant of each call that has not ended. The primary key makes a second live call for a user impossible.';
comment on column app_private.live_call_participants.user_id is 'A participant.';
comment on column app_private.live_call_participants.interaction_id is 'Their live call.';

create index live_call_participants_interaction_id on app_private.live_call_participants (interaction_id);

--------------------------------------------------------------------------------
-- The queue
--------------------------------------------------------------------------------

create table interaction_schema.queue_entries (
    user_id uuid primary key references user_schema.users (id) on delete cascade,
    session_id uuid not null references user_schema.user_sessions (id) on delete cascade,
    queued_at timestamptz not null default now()
);

create index queue_entries_queued_at on interaction_schema.queue_entries (queued_at);
create index queue_entries_session_id on interaction_schema.queue_entries (session_id);

comment on table interaction_schema.queue_entries is 'Users waiting for a random call: at most one entry per user, from one device.';
comment on column interaction_schema.queue_entries.user_id is 'The waiting user.';
comment on column interaction_schema.queue_entries.session_id is 'The device that entered the queue; it goes in-call when matched.';
comment on column interaction_schema.queue_entries.queued_at is 'When the user entered the queue; the longest-waiting go first.';

--------------------------------------------------------------------------------
-- Call signaling (WebRTC offer / answer / ICE / hang-up), relayed in order.
--------------------------------------------------------------------------------

create table interaction_schema.call_signals (
    id bigint generated always as identity primary key,
    interaction_id uuid not null references interaction_schema.interaction_logs (id) on delete cascade,
    sender_user_id uuid not null references user_schema.users (id) on delete cascade,
    kind text not null check (kind in ('offer', 'answer', 'ice', 'hangup')),
    payload jsonb not null default '{}',
    created_at timestamptz not null default now(),
    constraint call_signals_payload_at_most_64_kb check (octet_length(payload::text) <= 65536)
);

create index call_signals_interaction_id on interaction_schema.call_signals (interaction_id, id);
create index call_signals_sender_user_id on interaction_schema.call_signals (sender_user_id);

comment on table interaction_schema.call_signals is 'A signaling message from one participant of a call to the other, delivered live and in order (by id).';
comment on column interaction_schema.call_signals.id is 'Primary key; also the delivery order.';
comment on column interaction_schema.call_signals.interaction_id is 'The call.';
comment on column interaction_schema.call_signals.sender_user_id is 'The participant who sent it.';
comment on column interaction_schema.call_signals.kind is 'offer, answer, ice or hangup.';
comment on column interaction_schema.call_signals.payload is 'The WebRTC data (SDP or ICE candidate), at most 64 KB of JSON.';
comment on column interaction_schema.call_signals.created_at is 'When it was sent.';

--------------------------------------------------------------------------------
-- Blocks
--------------------------------------------------------------------------------

create table interaction_schema.blocks (
    blocker_user_id uuid not null references user_schema.users (id) on delete cascade,
    blocked_user_id uuid not null references user_schema.users (id) on delete cascade,
    created_at timestamptz not null default now(),
    primary key (blocker_user_id, blocked_user_id),
    constraint blocks_not_oneself check (blocker_user_id <> blocked_user_id)
);

create index blocks_blocked_user_id on interaction_schema.blocks (blocked_user_id);

comment on table interaction_schema.blocks is 'A user blocked another: the pair is never matched again and any connection between them ends. Visible to the blocker only.';
comment on column interaction_schema.blocks.blocker_user_id is 'Who blocked.';
comment on column interaction_schema.blocks.blocked_user_id is 'Who was blocked.';
comment on column interaction_schema.blocks.created_at is 'When.';
