-- user_schema.user_sessions: triggers and access.

comment on table user_schema.user_sessions is E'@behavior -insert -update -delete\nOne row per logged-in device: the authentication session and that device''s presence.';

create or replace trigger update_sessions_timestamp
    before update on user_schema.user_sessions
    for each row execute function public.update_timestamp();

-- Devices end (log-out, expiry, ban) or go offline (the presence sweep)
-- through these two, which follow the lock order (participants.sql): the
-- users' locks, then a live call one of the devices is in, then their queue
-- entries, and the sessions last.
create or replace function app_private.release_devices(session_ids uuid[], call_outcome interaction_schema.call_outcome) returns void as $$
begin
    perform app_private.lock_users(array(select s.user_id from user_schema.user_sessions s where s.id = any(session_ids)));
    perform app_private.end_live_calls(
        array(select s.user_id from user_schema.user_sessions s where s.id = any(session_ids) and s.status = 'in-call'),
        call_outcome);
    delete from interaction_schema.queue_entries q where q.session_id = any(session_ids);
end;
$$ language plpgsql volatile security definer set search_path = pg_catalog, public;

comment on function app_private.release_devices(uuid[], interaction_schema.call_outcome) is
  'Takes these devices out of what is live: the live call of a user whose device among them is in-call ends (with that outcome), and their queue entries go.';

create or replace function app_private.end_sessions(session_ids uuid[], call_outcome interaction_schema.call_outcome) returns integer as $$
declare
    ended integer;
begin
    perform app_private.release_devices(session_ids, call_outcome);
    delete from user_schema.user_sessions s where s.id = any(session_ids);
    get diagnostics ended = row_count;
    return ended;
end;
$$ language plpgsql volatile security definer set search_path = pg_catalog, public;

comment on function app_private.end_sessions(uuid[], interaction_schema.call_outcome) is
  'Ends these sessions (log-out): a live call that one of the devices is in ends with that outcome, their queue entries go. Returns how many sessions ended.';

-- A device deleted some other way during a call hangs up too.
create or replace function app_private.tg_user_sessions__hang_up()
returns trigger as $$
begin
    perform app_private.end_live_call(old.user_id, 'no_action');
    return null;
end;
$$ language plpgsql security definer set search_path = pg_catalog, public;

comment on function app_private.tg_user_sessions__hang_up() is
  'Trigger: ends the live call of a user whose in-call device session is deleted.';

create or replace trigger user_sessions_hang_up
    after delete on user_schema.user_sessions
    for each row when (old.status = 'in-call')
    execute function app_private.tg_user_sessions__hang_up();

-- The API server closes the websockets of an ended session
-- (src/server/session-sockets.ts): announce every end.
create or replace function app_private.tg_user_sessions__announce_end()
returns trigger as $$
begin
    perform pg_notify('sessions_ended', old.id::text);
    -- On the user's own channel too: a live event committed after this one
    -- reaches the API after it, on the same connection, so the session's
    -- subscriptions end before anything newer (src/server/plugins/live-events.ts).
    perform app_private.notify_user(old.user_id, 'session_ended', jsonb_build_object('session_id', old.id));
    -- Ending the request's own session (log-out, ban, deleting the account):
    -- from here on current_user_id() is null in this transaction.
    if old.id = app_private.current_session_id() then
        perform set_config('rtc.checked_session', old.id::text || ':', true);
    end if;
    return null;
end;
$$ language plpgsql;

comment on function app_private.tg_user_sessions__announce_end() is
  'Trigger: announces an ended (deleted) session on the channel sessions_ended (the API forgets it and closes its websockets) and as the user''s live event session_ended (its subscriptions end); when it is the request''s own session, current_user_id() is null for the rest of the transaction.';

create or replace trigger user_sessions_announce_end
    after delete on user_schema.user_sessions
    for each row execute function app_private.tg_user_sessions__announce_end();

-- Row-level security: a user lists their own devices; the token hash is
-- readable by no API role.
alter table user_schema.user_sessions enable row level security;

drop policy if exists select_own on user_schema.user_sessions;
create policy select_own on user_schema.user_sessions for select to rtc_user, rtc_admin
    using (user_id = (select app_private.current_user_id()));

grant select (id, user_id, socket_id, status, ip_address, user_agent, created_at, updated_at, expires_at)
    on user_schema.user_sessions to rtc_user, rtc_admin;

comment on constraint user_sessions_token_hash_key on user_schema.user_sessions is
  E'@behavior -query:resource:single\nA token is looked up only by app_private.authenticate, never through the API.';
