--! Previous: sha1:22e5ccd1caea23ac975e76da8550b8c09dc96d66
--! Hash: sha1:3b042b154ab3a127d3fd86c3c776110a85dc61b6
--! Message: Websockets of a device, as the API servers report them

-- The device's websockets, as the API reports them: a call whose device has
-- had none open for a grace period ends (sql/user_schema/presence.sql).
alter table user_schema.user_sessions
    add column open_sockets integer not null default 0 constraint user_sessions_open_sockets_not_negative check (open_sockets >= 0),
    add column sockets_closed_at timestamptz;

comment on column user_schema.user_sessions.open_sockets is 'Websockets of this device open on the API servers (reported by them).';
comment on column user_schema.user_sessions.sockets_closed_at is 'When the last open websocket of this device closed; null while one is open, or if none ever was.';

create index user_sessions_sockets_closed_at on user_schema.user_sessions (sockets_closed_at) where open_sockets = 0 and status = 'in-call';
