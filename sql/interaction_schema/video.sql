-- Video: in an active chat_only connection the
-- male participant asks, the female participant (always the approver, see
-- video_requests.sql) approves or rejects; approval makes the connection
-- video_enabled, where either side can start a video call, signaled like a
-- voice call (calls.sql). A pending request expires after 24 hours.

-- Every pending request past its expiry (the worker), or those of one
-- connection (a request or answer on it, which holds the pair's lock): never
-- other users' rows inside a user's transaction.
create or replace function app_private.expire_video_requests(only_connection_id uuid default null) returns integer as $$
declare
    request record;
    expired integer := 0;
begin
    for request in
        update interaction_schema.video_requests v set status = 'expired'
         where v.id in (select d.id from interaction_schema.video_requests d
                         where d.status = 'pending' and d.expires_at <= now()
                           and (only_connection_id is null or d.connection_id = only_connection_id)
                         order by d.id
                           for update)
           and v.status = 'pending'
        returning v.id, v.requester_user_id, v.approver_user_id
    loop
        perform app_private.notify_users(array[request.requester_user_id, request.approver_user_id], 'video_request', jsonb_build_object('video_request_id', request.id));
        expired := expired + 1;
    end loop;
    return expired;
end;
$$ language plpgsql volatile security definer set search_path = pg_catalog, public;

comment on function app_private.expire_video_requests(uuid) is
  'Marks pending video requests past expires_at expired (all of them, or one connection''s) and tells both sides. Returns how many. The worker (expire_video_requests) expires them all; a request or answer only its own connection''s.';

create or replace function interaction_schema.request_video(connection_id uuid) returns interaction_schema.video_requests as $$
declare
    connection interaction_schema.connections := app_private.active_connection_of_participant(connection_id);
    request interaction_schema.video_requests;
    declined_at timestamptz;
begin
    perform app_private.rate_limit('request_video', app_private.user_subject(app_private.current_user_id()));
    if connection.connection_type = 'video_enabled' then
        raise exception 'Video is already enabled for this connection.' using errcode = 'RVIDE';
    end if;
    select max(v.responded_at) into declined_at
      from interaction_schema.video_requests v where v.connection_id = connection.id and v.status = 'rejected';
    if declined_at > now() - app_private.video_request_cooldown() then
        perform app_private.raise_rate_limited('She declined video recently.', declined_at + app_private.video_request_cooldown() - now());
    end if;
    perform app_private.expire_video_requests(connection.id);
    if exists (select 1 from interaction_schema.video_requests v where v.connection_id = connection.id and v.status = 'pending') then
        raise exception 'A video request is already waiting for an answer.' using errcode = 'RVPND';
    end if;
    -- The trigger of video_requests.sql fills in the approver (the female
    -- participant) and refuses a requester who is not the male one (RVREQ).
    insert into interaction_schema.video_requests (connection_id, requester_user_id)
    values (connection.id, app_private.current_user_id())
    returning * into request;
    perform app_private.notify_user(request.approver_user_id, 'video_request', jsonb_build_object('video_request_id', request.id));
    return request;
end;
$$ language plpgsql volatile security definer set search_path = pg_catalog, public;

comment on function interaction_schema.request_video(uuid) is
  'The male participant of an active chat_only connection asks to enable video. One pending request per connection; it expires after 24 hours. After she declines, the next request waits 24 hours (RRATE); at most 10 requests a day.';

create or replace function interaction_schema.answer_video_request(video_request_id uuid, approve boolean) returns interaction_schema.video_requests as $$
declare
    request interaction_schema.video_requests;
begin
    -- Unlocked: the approver never changes, and the pair's lock comes first.
    select * into request from interaction_schema.video_requests v where v.id = video_request_id;
    if request.id is null or request.approver_user_id is distinct from app_private.require_user_id() then
        raise exception 'Only the female participant of the connection can answer this request.' using errcode = 'RVAPR';
    end if;
    perform app_private.lock_pair_of_connection(request.connection_id);
    perform app_private.expire_video_requests(request.connection_id);
    select * into request from interaction_schema.video_requests v where v.id = video_request_id;
    if request.status = 'expired' then
        raise exception 'This video request has expired.' using errcode = 'RVEXP';
    elsif request.status <> 'pending' then
        raise exception 'This video request was already answered.' using errcode = 'RVDON';
    end if;
    perform app_private.active_connection_of_participant(request.connection_id);

    if approve then
        update interaction_schema.connections set connection_type = 'video_enabled' where id = request.connection_id;
    end if;
    update interaction_schema.video_requests v
       set status = (case when approve then 'approved' else 'rejected' end)::interaction_schema.video_request_status,
           responded_at = now()
     where v.id = request.id
    returning * into request;
    perform app_private.notify_users(array[request.requester_user_id, request.approver_user_id], 'video_request', jsonb_build_object('video_request_id', request.id));
    return request;
end;
$$ language plpgsql volatile strict security definer set search_path = pg_catalog, public;

comment on function interaction_schema.answer_video_request(uuid, boolean) is
  'The female participant approves (the connection becomes video_enabled) or rejects a pending video request.';

create or replace function interaction_schema.start_video_call(connection_id uuid) returns interaction_schema.interaction_logs as $$
declare
    connection interaction_schema.connections := app_private.active_connection_of_participant(connection_id);
    me uuid := app_private.current_user_id();
    partner_id uuid;
    call interaction_schema.interaction_logs;
begin
    if connection.connection_type <> 'video_enabled' then
        raise exception 'Video is not enabled for this connection.' using errcode = 'RVOFF';
    end if;
    partner_id := app_private.other_of_pair(connection.user1_id, connection.user2_id, me);
    if exists (select 1 from app_private.live_call_participants where user_id in (me, partner_id)) then
        raise exception 'One of you is already in a call.' using errcode = 'RINCL';
    end if;
    -- The caller is user1: the side that sends the WebRTC offer.
    begin
        insert into interaction_schema.interaction_logs (user1_id, user2_id, room_id, interaction_type)
        values (me, partner_id, app_private.new_token(), 'video_call')
        returning * into call;
    exception when unique_violation then
        raise exception 'One of you is already in a call.' using errcode = 'RINCL';
    end;
    -- In a call, nobody is queuing.
    delete from interaction_schema.queue_entries where user_id in (me, partner_id);
    update user_schema.user_sessions set status = 'in-call' where id = app_private.current_session_id();
    perform app_private.notify_users(array[me, partner_id], 'video_call', jsonb_build_object('interaction_id', call.id));
    perform app_private.schedule_call_deadlines();
    return call;
end;
$$ language plpgsql volatile security definer set search_path = pg_catalog, public;

comment on function interaction_schema.start_video_call(uuid) is
  'Either participant of a video_enabled connection starts a video call; the partner gets a video_call event. It is joined, signaled and ended like a voice call.';

grant execute on function
    interaction_schema.request_video(uuid),
    interaction_schema.answer_video_request(uuid, boolean),
    interaction_schema.start_video_call(uuid)
  to rtc_user;
