-- Presence. Each device's session has a
-- status: offline -> online (log-in, heartbeat) -> queuing (enter_queue) ->
-- in-call (matched) -> online (call ended) -> offline (stale heartbeat). A
-- user's presence is the best of their devices (PublicProfile.presence,
-- public_profiles.sql); connection partners see it live, as online, in-call
-- or offline.

-- (Dropped first: statuses and presence were text before they became enums.)
drop function if exists app_private.presence_rank(text);
drop function if exists app_private.user_presence(uuid);
drop function if exists user_schema.heartbeat();

create or replace function app_private.presence_rank(status user_schema.device_status) returns integer as $$
    select case status when 'in-call' then 2 when 'online' then 1 when 'queuing' then 1 else 0 end;
$$ language sql immutable;

comment on function app_private.presence_rank(user_schema.device_status) is
  'How a device status shows to others: 2 in-call, 1 online (queuing too), 0 offline.';

create or replace function app_private.user_presence(user_id uuid) returns user_schema.presence as $$
    select case coalesce(max(app_private.presence_rank(s.status)), 0)
               when 2 then 'in-call' when 1 then 'online' else 'offline'
           end::user_schema.presence
      from user_schema.user_sessions s
     where s.user_id = user_presence.user_id and s.expires_at > now();
$$ language sql stable security definer set search_path = pg_catalog, public;

comment on function app_private.user_presence(uuid) is
  'A user''s presence, the best of their live sessions: in-call, online (queuing counts as online) or offline.';

grant execute on function app_private.user_presence(uuid) to rtc_user;

-- Connection partners hear when the presence they see changes, and only
-- then: a device entering or leaving the queue (online <-> queuing) or a
-- second device logging in tells them nothing.
create or replace function app_private.tg_user_sessions__notify_partners()
returns trigger as $$
declare
    changed_user_id uuid := coalesce(new.user_id, old.user_id);
    other_devices integer;
    before_change integer;
    after_change integer;
    partner_id uuid;
begin
    select coalesce(max(app_private.presence_rank(s.status)), 0) into other_devices
      from user_schema.user_sessions s
     where s.user_id = changed_user_id and s.id <> coalesce(new.id, old.id) and s.expires_at > now();
    before_change := greatest(other_devices, case when tg_op <> 'INSERT' then app_private.presence_rank(old.status) else 0 end);
    after_change := greatest(other_devices, case when tg_op <> 'DELETE' then app_private.presence_rank(new.status) else 0 end);
    if before_change = after_change then
        return null;
    end if;
    for partner_id in
        select app_private.other_of_pair(c.user1_id, c.user2_id, changed_user_id)
          from interaction_schema.connections c
         where changed_user_id in (c.user1_id, c.user2_id) and c.is_active
    loop
        perform app_private.notify_user(partner_id, 'presence', jsonb_build_object('user_id', changed_user_id));
    end loop;
    return null;
end;
$$ language plpgsql security definer set search_path = pg_catalog, public;

comment on function app_private.tg_user_sessions__notify_partners() is
  'Trigger: tells the user''s active connection partners when the presence they see (online, in-call, offline) changes.';

create or replace trigger user_sessions_notify_partners_on_status
    after update of status on user_schema.user_sessions
    for each row when (old.status is distinct from new.status)
    execute function app_private.tg_user_sessions__notify_partners();

create or replace trigger user_sessions_notify_partners_on_login_logout
    after insert or delete on user_schema.user_sessions
    for each row execute function app_private.tg_user_sessions__notify_partners();

create or replace function user_schema.heartbeat() returns user_schema.device_status as $$
declare
    new_status user_schema.device_status;
begin
    perform app_private.require_user_id();
    update user_schema.user_sessions
       set last_seen_at = now(),
           status = case when status = 'offline' then 'online' else status end
     where id = app_private.current_session_id()
    returning status into new_status;
    return new_status;
end;
$$ language plpgsql volatile security definer set search_path = pg_catalog, public;

comment on function user_schema.heartbeat() is
  'Tells the server this device is still here (send one at least every 30 seconds; after 45 without, the device goes offline, leaves the queue and its call ends). Returns the device''s status.';

grant execute on function user_schema.heartbeat() to rtc_user, rtc_admin;

-- The presence sweep (worker task sweep_presence, every few seconds): stale
-- devices go offline, leave the queue, and their live calls end (timeout).
-- At most 500 devices a call, so that one transaction holds a bounded number
-- of user locks; the task calls it until it returns 0.
create or replace function app_private.sweep_stale_sessions() returns integer as $$
declare
    stale_ids uuid[];
begin
    select coalesce(array_agg(s.id), '{}') into stale_ids from (
        select s.id from user_schema.user_sessions s
         where s.status <> 'offline' and s.last_seen_at < now() - app_private.presence_timeout()
         order by s.id
         limit 500) s;
    perform app_private.release_devices(stale_ids, 'timeout');
    update user_schema.user_sessions s set status = 'offline' where s.id = any(stale_ids) and s.status <> 'offline';
    return cardinality(stale_ids);
end;
$$ language plpgsql volatile set search_path = pg_catalog, public;

comment on function app_private.sweep_stale_sessions() is
  'Sets up to 500 devices without a recent heartbeat offline, takes them out of the queue and ends their live calls (outcome timeout). Returns how many devices it swept.';

-- Websockets of a device, as the API servers report them (they do not decide
-- anything): the in-call device whose last websocket closed gets a grace
-- period to come back; after it, its call ends as on a timeout.
create or replace function app_private.device_socket_opened(session_id uuid) returns void as $$
    update user_schema.user_sessions s
       set open_sockets = s.open_sockets + 1, sockets_closed_at = null
     where s.id = device_socket_opened.session_id;
$$ language sql volatile security definer set search_path = pg_catalog, public;

comment on function app_private.device_socket_opened(uuid) is
  'The API server reports that a websocket of this device (session) opened.';

create or replace function app_private.device_socket_closed(session_id uuid) returns void as $$
declare
    closed user_schema.user_sessions;
begin
    update user_schema.user_sessions s
       set open_sockets = greatest(s.open_sockets - 1, 0),
           sockets_closed_at = case when s.open_sockets <= 1 then now() else s.sockets_closed_at end
     where s.id = device_socket_closed.session_id
    returning s.* into closed;
    if closed.open_sockets = 0 and closed.status = 'in-call' then
        perform app_private.add_job('sweep_presence', run_at := now() + app_private.call_socket_grace() + interval '200 milliseconds');
    end if;
end;
$$ language plpgsql volatile security definer set search_path = pg_catalog, public;

comment on function app_private.device_socket_closed(uuid) is
  'The API server reports that a websocket of this device (session) closed; when it was the last one during a call, the presence sweep runs once the grace period (call_socket_grace) is over.';

revoke all on function app_private.device_socket_opened(uuid), app_private.device_socket_closed(uuid) from public;
grant execute on function app_private.device_socket_opened(uuid), app_private.device_socket_closed(uuid) to rtc_authenticator;

-- Part of the presence sweep: calls whose device lost its websockets for
-- longer than the grace period end (timeout), in the lock order (release_devices).
create or replace function app_private.end_calls_of_lost_devices() returns integer as $$
declare
    lost_ids uuid[];
begin
    select coalesce(array_agg(s.id), '{}') into lost_ids from (
        select s.id from user_schema.user_sessions s
         where s.status = 'in-call' and s.open_sockets = 0 and s.sockets_closed_at < now() - app_private.call_socket_grace()
         order by s.id
         limit 500) s;
    perform app_private.release_devices(lost_ids, 'timeout');
    return cardinality(lost_ids);
end;
$$ language plpgsql volatile set search_path = pg_catalog, public;

comment on function app_private.end_calls_of_lost_devices() is
  'Ends (outcome timeout) the calls of in-call devices that have had no websocket open for longer than call_socket_grace. Returns how many devices.';
