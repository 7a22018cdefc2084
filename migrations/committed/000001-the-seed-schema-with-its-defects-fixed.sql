--! Previous: -
--! Hash: sha1:8127989489d762fd9bb53baa59d9b113bdcce695
--! Message: The seed schema with its defects fixed

--------------------------------------------------------------------------------
-- The seed schema (../shared/seed/schema-design.md), with the seed defects that
-- ../shared/DESIGN.md lists fixed. Functions, triggers, row-level security and
-- grants are not here: they live in sql/ and are re-applied after every migrate.
-- "Seed defect N" comments point at the DESIGN.md list.
--------------------------------------------------------------------------------

create extension if not exists pgcrypto with schema public;

-- Deny by default: nothing in this database is usable by PUBLIC (every role)
-- unless a grant in sql/ says so.
revoke all on schema public from public;
alter default privileges revoke all on functions from public;
alter default privileges revoke all on sequences from public;
alter default privileges revoke all on tables from public;

create schema user_schema;
create schema interaction_schema;
create schema communication_schema;
create schema analytics_schema;

comment on schema user_schema is 'User authentication and profiles.';
comment on schema interaction_schema is 'Matching, calls and connections.';
comment on schema communication_schema is 'Post-match messaging.';
comment on schema analytics_schema is 'Logging and analytics.';

-- Not in the seed: trigger functions and internal helpers. Never exposed
-- through the API and never usable by the API roles.
create schema app_private;
comment on schema app_private is 'Trigger functions and internal helpers; not part of the API.';

--------------------------------------------------------------------------------
-- user_schema.users
--------------------------------------------------------------------------------

create table user_schema.users (
    id uuid primary key default gen_random_uuid(),
    username varchar(50) unique not null,
    email varchar(255) unique not null,
    password_hash varchar(255) not null,
    -- Seed defect 1: the seed's DEFAULT 'user' was rejected by its own CHECK,
    -- so every insert without a role failed. The role is now simply required.
    role varchar(20) not null check (role in ('male', 'female', 'admin')),
    email_verified boolean default false,
    is_active boolean default true,
    created_at timestamp with time zone default current_timestamp,
    updated_at timestamp with time zone default current_timestamp,
    last_login timestamp with time zone
);

-- Seed defect 5: idx_users_email and idx_users_username repeated the indexes
-- that the UNIQUE constraints build (users_email_key, users_username_key).
-- Email is unique ignoring case (DESIGN.md "Accounts"):
create unique index users_email_lower_key on user_schema.users (lower(email));
create index idx_users_role on user_schema.users (role);
-- Seed defect 5: a boolean index is better partial. Nearly every account is
-- active, so only the deactivated (banned) ones are worth indexing.
create index idx_users_active on user_schema.users (id) where is_active = false;
create index idx_users_created_at on user_schema.users (created_at);

comment on table user_schema.users is 'An account: authentication data and role. Only the owner reads their email; nobody reads password_hash.';
comment on column user_schema.users.id is 'Primary key.';
comment on column user_schema.users.username is 'Unique public handle: 3-50 letters, digits, `_` or `.`.';
comment on column user_schema.users.email is 'Email address, unique ignoring case. Visible to its owner only.';
comment on column user_schema.users.password_hash is 'bcrypt hash of the password (computed inside Postgres). Never readable through the API.';
comment on column user_schema.users.role is 'male, female or admin; fixed when the account is created.';
comment on column user_schema.users.email_verified is 'True once the email verification token was used.';
comment on column user_schema.users.is_active is 'False for a deactivated (banned) account, which cannot log in.';
comment on column user_schema.users.created_at is 'When the account was created.';
comment on column user_schema.users.updated_at is 'When the row last changed (maintained by a trigger).';
comment on column user_schema.users.last_login is 'When the user last logged in successfully.';

--------------------------------------------------------------------------------
-- user_schema.profiles
--------------------------------------------------------------------------------

create table user_schema.profiles (
    id uuid primary key default gen_random_uuid(),
    user_id uuid not null unique references user_schema.users (id) on delete cascade,
    display_name varchar(100) not null,
    short_bio text,
    photos jsonb default '[]',
    videos jsonb default '[]',
    intent varchar(50) not null default 'casual' check (intent in ('casual', 'friends', 'serious', 'networking')),
    age integer check (age >= 18 and age <= 100),
    location_city varchar(100),
    location_country varchar(100),
    preferences jsonb default '{}',
    created_at timestamp with time zone default current_timestamp,
    updated_at timestamp with time zone default current_timestamp
);

-- Seed defect 5: idx_profiles_user_id repeated profiles_user_id_key (UNIQUE).
create index idx_profiles_intent on user_schema.profiles (intent);
create index idx_profiles_age on user_schema.profiles (age);
create index idx_profiles_location on user_schema.profiles (location_city, location_country);
create index idx_profiles_updated_at on user_schema.profiles (updated_at);

comment on table user_schema.profiles is 'A user''s public profile (one per user). Visible to others only while matched or connected with them.';
comment on column user_schema.profiles.id is 'Primary key.';
comment on column user_schema.profiles.user_id is 'The user this profile describes.';
comment on column user_schema.profiles.display_name is 'Name shown to matches and connections.';
comment on column user_schema.profiles.short_bio is 'A few words about the user.';
comment on column user_schema.profiles.photos is 'JSON array of https photo URLs.';
comment on column user_schema.profiles.videos is 'JSON array of https video URLs.';
comment on column user_schema.profiles.intent is 'What the user is looking for: casual, friends, serious or networking. Matches share the same intent.';
comment on column user_schema.profiles.age is 'Age in years, 18 to 100.';
comment on column user_schema.profiles.location_city is 'City, used as a soft matching preference.';
comment on column user_schema.profiles.location_country is 'Country, used as a soft matching preference.';
comment on column user_schema.profiles.preferences is 'Matching preferences as a JSON object (for example age_min, age_max).';
comment on column user_schema.profiles.created_at is 'When the profile was created.';
comment on column user_schema.profiles.updated_at is 'When the row last changed (maintained by a trigger).';

--------------------------------------------------------------------------------
-- user_schema.user_sessions
--------------------------------------------------------------------------------

create table user_schema.user_sessions (
    id uuid primary key default gen_random_uuid(),
    user_id uuid not null references user_schema.users (id) on delete cascade,
    socket_id varchar(255),
    status varchar(20) default 'offline' check (status in ('online', 'offline', 'in-call', 'queuing')),
    ip_address inet,
    user_agent text,
    created_at timestamp with time zone default current_timestamp,
    updated_at timestamp with time zone default current_timestamp,
    expires_at timestamp with time zone
);

create index idx_sessions_user_id on user_schema.user_sessions (user_id);
create index idx_sessions_socket_id on user_schema.user_sessions (socket_id);
create index idx_sessions_status on user_schema.user_sessions (status);
create index idx_sessions_expires_at on user_schema.user_sessions (expires_at);

comment on table user_schema.user_sessions is 'One row per logged-in device: the authentication session and that device''s presence.';
comment on column user_schema.user_sessions.id is 'Primary key.';
comment on column user_schema.user_sessions.user_id is 'The user logged in on this device.';
comment on column user_schema.user_sessions.socket_id is 'Identifier of the device''s realtime connection, if any.';
comment on column user_schema.user_sessions.status is 'Presence of this device: offline, online, queuing or in-call.';
comment on column user_schema.user_sessions.ip_address is 'IP address the session was created from.';
comment on column user_schema.user_sessions.user_agent is 'User agent the session was created from.';
comment on column user_schema.user_sessions.created_at is 'When the session was created (log-in time).';
comment on column user_schema.user_sessions.updated_at is 'When the row last changed (maintained by a trigger).';
comment on column user_schema.user_sessions.expires_at is 'When the session stops authenticating.';

--------------------------------------------------------------------------------
-- interaction_schema.interaction_logs
--------------------------------------------------------------------------------

create table interaction_schema.interaction_logs (
    id uuid primary key default gen_random_uuid(),
    user1_id uuid not null references user_schema.users (id) on delete cascade,
    user2_id uuid not null references user_schema.users (id) on delete cascade,
    room_id varchar(255) not null,
    interaction_type varchar(20) default 'voice_call' check (interaction_type in ('voice_call', 'video_call')),
    started_at timestamp with time zone default current_timestamp,
    ended_at timestamp with time zone,
    duration_seconds integer default 0,
    outcome varchar(20) default 'no_action' check (outcome in ('no_action', 'female_connected', 'both_left', 'timeout')),
    female_user_id uuid references user_schema.users (id),
    metadata jsonb default '{}',
    -- Seed defect 3: no call with oneself. The roles of the two participants
    -- (one male, one female) and female_user_id are checked by a trigger,
    -- since they live in another table (sql/interaction_schema/interaction_logs.sql).
    constraint interaction_logs_participants_differ check (user1_id <> user2_id),
    constraint interaction_logs_female_is_participant check (female_user_id in (user1_id, user2_id)),
    -- Seed defect 4: durations and end times that make sense.
    constraint interaction_logs_duration_not_negative check (duration_seconds >= 0),
    constraint interaction_logs_ends_after_start check (ended_at >= started_at)
);

-- Seed defect 5: idx_interaction_logs_user1_id is the leading column of
-- idx_interaction_logs_users_composite, which serves the same lookups.
create index idx_interaction_logs_user2_id on interaction_schema.interaction_logs (user2_id);
create index idx_interaction_logs_female_user_id on interaction_schema.interaction_logs (female_user_id);
create index idx_interaction_logs_room_id on interaction_schema.interaction_logs (room_id);
create index idx_interaction_logs_started_at on interaction_schema.interaction_logs (started_at);
create index idx_interaction_logs_outcome on interaction_schema.interaction_logs (outcome);
create index idx_interaction_logs_users_composite on interaction_schema.interaction_logs (user1_id, user2_id);

comment on table interaction_schema.interaction_logs is 'One call between a male and a female user: a random voice call made by the matchmaker, or a video call between connected users.';
comment on column interaction_schema.interaction_logs.id is 'Primary key.';
comment on column interaction_schema.interaction_logs.user1_id is 'One participant.';
comment on column interaction_schema.interaction_logs.user2_id is 'The other participant.';
comment on column interaction_schema.interaction_logs.room_id is 'Random, unguessable identifier of the call''s signaling room.';
comment on column interaction_schema.interaction_logs.interaction_type is 'voice_call or video_call.';
comment on column interaction_schema.interaction_logs.started_at is 'When the call was created.';
comment on column interaction_schema.interaction_logs.ended_at is 'When the call ended (set by the database); null while live.';
comment on column interaction_schema.interaction_logs.duration_seconds is 'Length of the call in whole seconds, computed by the database when it ends.';
comment on column interaction_schema.interaction_logs.outcome is 'no_action, female_connected, both_left or timeout.';
comment on column interaction_schema.interaction_logs.female_user_id is 'The female participant: the only one who may turn the call into a connection.';
comment on column interaction_schema.interaction_logs.metadata is 'Additional data about the call.';

--------------------------------------------------------------------------------
-- interaction_schema.connections
--------------------------------------------------------------------------------

create table interaction_schema.connections (
    id uuid primary key default gen_random_uuid(),
    user1_id uuid not null references user_schema.users (id) on delete cascade,
    user2_id uuid not null references user_schema.users (id) on delete cascade,
    interaction_log_id uuid not null references interaction_schema.interaction_logs (id) on delete cascade,
    female_user_id uuid not null references user_schema.users (id),
    connection_type varchar(20) default 'chat_only' check (connection_type in ('chat_only', 'video_enabled')),
    is_active boolean default true,
    created_at timestamp with time zone default current_timestamp,
    updated_at timestamp with time zone default current_timestamp,
    constraint unique_user_connection unique (user1_id, user2_id),
    -- Seed defect 2: a pair is stored in one order only (a trigger sorts the
    -- pair before insert), so UNIQUE (user1_id, user2_id) holds in either
    -- order. This also rules out a connection with oneself (seed defect 3).
    constraint connections_pair_in_canonical_order check (user1_id < user2_id),
    -- Seed defect 3: the roles are checked by a trigger (sql/interaction_schema/connections.sql).
    constraint connections_female_is_participant check (female_user_id in (user1_id, user2_id))
);

-- Seed defect 5: idx_connections_user1_id is the leading column of the index
-- that unique_user_connection builds; idx_connections_active (a boolean) is
-- now partial over the active connections, the ones every lookup wants.
create index idx_connections_user2_id on interaction_schema.connections (user2_id);
create index idx_connections_female_user_id on interaction_schema.connections (female_user_id);
create index idx_connections_interaction_log_id on interaction_schema.connections (interaction_log_id);
create index idx_connections_active on interaction_schema.connections (user1_id, user2_id) where is_active;
create index idx_connections_created_at on interaction_schema.connections (created_at);

comment on table interaction_schema.connections is 'A lasting connection between a male and a female user, created when she chooses to connect after a call. One per pair.';
comment on column interaction_schema.connections.id is 'Primary key.';
comment on column interaction_schema.connections.user1_id is 'The participant whose id sorts first.';
comment on column interaction_schema.connections.user2_id is 'The participant whose id sorts second.';
comment on column interaction_schema.connections.interaction_log_id is 'The call that led to this connection.';
comment on column interaction_schema.connections.female_user_id is 'The female participant, who created the connection.';
comment on column interaction_schema.connections.connection_type is 'chat_only, or video_enabled once she approved a video request.';
comment on column interaction_schema.connections.is_active is 'False once either side unmatched or blocked the other.';
comment on column interaction_schema.connections.created_at is 'When the connection was made.';
comment on column interaction_schema.connections.updated_at is 'When the row last changed (maintained by a trigger).';

--------------------------------------------------------------------------------
-- interaction_schema.video_requests
--------------------------------------------------------------------------------

create table interaction_schema.video_requests (
    id uuid primary key default gen_random_uuid(),
    connection_id uuid not null references interaction_schema.connections (id) on delete cascade,
    requester_user_id uuid not null references user_schema.users (id) on delete cascade,
    -- Seed defect 3: the approver must be the connection's female participant
    -- and the requester the other one; a trigger checks it.
    approver_user_id uuid not null references user_schema.users (id) on delete cascade,
    status varchar(20) default 'pending' check (status in ('pending', 'approved', 'rejected', 'expired')),
    requested_at timestamp with time zone default current_timestamp,
    responded_at timestamp with time zone,
    expires_at timestamp with time zone default (current_timestamp + interval '24 hours'),
    metadata jsonb default '{}',
    constraint video_requests_requester_is_not_approver check (requester_user_id <> approver_user_id)
);

create index idx_video_requests_connection_id on interaction_schema.video_requests (connection_id);
create index idx_video_requests_requester on interaction_schema.video_requests (requester_user_id);
create index idx_video_requests_approver on interaction_schema.video_requests (approver_user_id);
create index idx_video_requests_status on interaction_schema.video_requests (status);
create index idx_video_requests_expires_at on interaction_schema.video_requests (expires_at);

comment on table interaction_schema.video_requests is 'A request by the male side of a connection to enable video; only the female side can approve it.';
comment on column interaction_schema.video_requests.id is 'Primary key.';
comment on column interaction_schema.video_requests.connection_id is 'The connection that would become video_enabled.';
comment on column interaction_schema.video_requests.requester_user_id is 'The male participant who asked.';
comment on column interaction_schema.video_requests.approver_user_id is 'The female participant, the only one who can approve or reject.';
comment on column interaction_schema.video_requests.status is 'pending, approved, rejected or expired.';
comment on column interaction_schema.video_requests.requested_at is 'When the request was made.';
comment on column interaction_schema.video_requests.responded_at is 'When the approver answered.';
comment on column interaction_schema.video_requests.expires_at is 'After this, a pending request expires.';
comment on column interaction_schema.video_requests.metadata is 'Additional data about the request.';

--------------------------------------------------------------------------------
-- communication_schema.chat_rooms
--------------------------------------------------------------------------------

create table communication_schema.chat_rooms (
    id uuid primary key default gen_random_uuid(),
    connection_id uuid not null unique references interaction_schema.connections (id) on delete cascade,
    room_name varchar(255) not null,
    is_active boolean default true,
    created_at timestamp with time zone default current_timestamp,
    updated_at timestamp with time zone default current_timestamp
);

-- Seed defect 5: idx_chat_rooms_connection_id repeated chat_rooms_connection_id_key
-- (UNIQUE); idx_chat_rooms_active (a boolean) is now partial.
create index idx_chat_rooms_room_name on communication_schema.chat_rooms (room_name);
create index idx_chat_rooms_active on communication_schema.chat_rooms (connection_id) where is_active;

comment on table communication_schema.chat_rooms is 'The chat room of a connection (one per connection).';
comment on column communication_schema.chat_rooms.id is 'Primary key.';
comment on column communication_schema.chat_rooms.connection_id is 'The connection whose two participants may use this room.';
comment on column communication_schema.chat_rooms.room_name is 'Generated room identifier.';
comment on column communication_schema.chat_rooms.is_active is 'False once the connection ended; no new messages then.';
comment on column communication_schema.chat_rooms.created_at is 'When the room was created.';
comment on column communication_schema.chat_rooms.updated_at is 'When the row last changed (maintained by a trigger).';

--------------------------------------------------------------------------------
-- communication_schema.messages
--------------------------------------------------------------------------------

create table communication_schema.messages (
    id uuid primary key default gen_random_uuid(),
    chat_room_id uuid not null references communication_schema.chat_rooms (id) on delete cascade,
    sender_user_id uuid not null references user_schema.users (id) on delete cascade,
    content text not null,
    message_type varchar(20) default 'text' check (message_type in ('text', 'image', 'video', 'voice', 'system')),
    metadata jsonb default '{}',
    is_edited boolean default false,
    is_deleted boolean default false,
    created_at timestamp with time zone default current_timestamp,
    updated_at timestamp with time zone default current_timestamp
);

create index idx_messages_chat_room_id on communication_schema.messages (chat_room_id);
create index idx_messages_sender_user_id on communication_schema.messages (sender_user_id);
create index idx_messages_created_at on communication_schema.messages (created_at);
create index idx_messages_type on communication_schema.messages (message_type);
-- Seed defect 5: idx_messages_deleted (a boolean) is now partial: deleted
-- messages are few, and they are the ones a purge looks for.
create index idx_messages_deleted on communication_schema.messages (chat_room_id) where is_deleted;
create index idx_messages_room_created_desc on communication_schema.messages (chat_room_id, created_at desc);

comment on table communication_schema.messages is 'A message in a chat room.';
comment on column communication_schema.messages.id is 'Primary key.';
comment on column communication_schema.messages.chat_room_id is 'The room the message was sent in.';
comment on column communication_schema.messages.sender_user_id is 'Who sent it.';
comment on column communication_schema.messages.content is 'The text, or a caption for media.';
comment on column communication_schema.messages.message_type is 'text, image, video, voice, or system (written by the database only).';
comment on column communication_schema.messages.metadata is 'Additional data, such as the https URL of a media message.';
comment on column communication_schema.messages.is_edited is 'True once the sender edited the message.';
comment on column communication_schema.messages.is_deleted is 'True once the sender deleted the message (soft delete).';
comment on column communication_schema.messages.created_at is 'When the message was sent.';
comment on column communication_schema.messages.updated_at is 'When the row last changed (maintained by a trigger).';

--------------------------------------------------------------------------------
-- communication_schema.message_read_status
--------------------------------------------------------------------------------

create table communication_schema.message_read_status (
    id uuid primary key default gen_random_uuid(),
    message_id uuid not null references communication_schema.messages (id) on delete cascade,
    user_id uuid not null references user_schema.users (id) on delete cascade,
    read_at timestamp with time zone default current_timestamp,
    constraint unique_user_message_read unique (message_id, user_id)
);

-- Seed defect 5: idx_message_read_status_message_id is the leading column of
-- the index that unique_user_message_read builds.
create index idx_message_read_status_user_id on communication_schema.message_read_status (user_id);
create index idx_message_read_status_read_at on communication_schema.message_read_status (read_at);

comment on table communication_schema.message_read_status is 'That a user has read a message.';
comment on column communication_schema.message_read_status.id is 'Primary key.';
comment on column communication_schema.message_read_status.message_id is 'The message that was read.';
comment on column communication_schema.message_read_status.user_id is 'Who read it.';
comment on column communication_schema.message_read_status.read_at is 'When it was read.';
