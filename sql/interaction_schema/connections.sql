-- interaction_schema.connections: triggers and access.

create or replace trigger update_connections_timestamp
    before update on interaction_schema.connections
    for each row execute function public.update_timestamp();

-- Store each pair in one order (user1_id < user2_id), so that the UNIQUE constraint
-- on (user1_id, user2_id) holds whichever order the pair is given in.
create or replace function app_private.tg_connections__canonical_pair()
returns trigger as $$
declare
    first_id uuid := least(new.user1_id, new.user2_id);
    second_id uuid := greatest(new.user1_id, new.user2_id);
begin
    new.user1_id := first_id;
    new.user2_id := second_id;
    return new;
end;
$$ language plpgsql;

comment on function app_private.tg_connections__canonical_pair() is
  'Trigger: orders a connection''s pair so that user1_id < user2_id.';

-- A connection comes from a call between the same two users.
create or replace function app_private.tg_connections__matches_its_call()
returns trigger as $$
declare
    call_first_id uuid;
    call_second_id uuid;
begin
    select least(l.user1_id, l.user2_id), greatest(l.user1_id, l.user2_id)
      into call_first_id, call_second_id
      from interaction_schema.interaction_logs l
     where l.id = new.interaction_log_id;
    -- (an unknown call is left to the foreign key)
    if found and (call_first_id, call_second_id) <> (new.user1_id, new.user2_id) then
        raise exception 'A connection must come from a call between the same two users.'
            using errcode = 'RCONN';
    end if;
    return new;
end;
$$ language plpgsql security definer set search_path = pg_catalog, public;

comment on function app_private.tg_connections__matches_its_call() is
  'Trigger: the connection''s call (interaction_log_id) must be between the connection''s two users.';

-- Triggers of one event fire in name order: sort the pair first.
create or replace trigger connections_1_canonical_pair
    before insert or update of user1_id, user2_id on interaction_schema.connections
    for each row execute function app_private.tg_connections__canonical_pair();

create or replace trigger connections_2_female_participant
    before insert or update of user1_id, user2_id, female_user_id on interaction_schema.connections
    for each row execute function app_private.tg__check_female_participant();

create or replace trigger connections_3_matches_its_call
    before insert or update of user1_id, user2_id, interaction_log_id on interaction_schema.connections
    for each row execute function app_private.tg_connections__matches_its_call();

--------------------------------------------------------------------------------
-- Connect: only the call's female participant, during the call or within
-- the decision window after it.
--------------------------------------------------------------------------------

create or replace function interaction_schema.connect(interaction_id uuid) returns interaction_schema.connections as $$
declare
    call interaction_schema.interaction_logs;
    me uuid := app_private.require_user_id();
    partner_id uuid;
    connection interaction_schema.connections;
    room_id uuid;
begin
    perform app_private.lock_pair_of_call(interaction_id); -- the pair before the call row
    call := app_private.call_of_participant(interaction_id);
    if call.female_user_id is distinct from me then
        raise exception 'Only the female participant of a call can connect.' using errcode = 'RFONL';
    end if;
    if call.ended_at < now() - app_private.call_decision_window() then
        raise exception 'The time to connect after this call has passed.' using errcode = 'RWIND';
    end if;
    partner_id := app_private.other_of_pair(call.user1_id, call.user2_id, me);
    if exists (select 1 from interaction_schema.blocks b
                where (b.blocker_user_id, b.blocked_user_id) in ((me, partner_id), (partner_id, me))) then
        raise exception 'You cannot connect with this user.' using errcode = 'RBLKD';
    end if;
    if exists (select 1 from interaction_schema.connections c
                where c.user1_id = least(me, partner_id) and c.user2_id = greatest(me, partner_id)) then
        raise exception 'You are already connected with this user.' using errcode = 'RCONX';
    end if;

    insert into interaction_schema.connections (user1_id, user2_id, interaction_log_id, female_user_id)
    values (me, partner_id, call.id, me)
    returning * into connection;
    insert into communication_schema.chat_rooms (connection_id, room_name)
    values (connection.id, app_private.new_token())
    returning id into room_id;
    insert into communication_schema.messages (chat_room_id, sender_user_id, content, message_type)
    values (room_id, me, 'You are connected. Say hello!', 'system');
    update interaction_schema.interaction_logs set outcome = 'female_connected' where id = call.id;

    perform app_private.notify_users(array[me, partner_id], 'connected', jsonb_build_object('connection_id', connection.id));
    return connection;
end;
$$ language plpgsql volatile security definer set search_path = pg_catalog, public;

comment on function interaction_schema.connect(uuid) is
  'The female participant turns the call into a lasting connection (chat only), during the call or up to 10 minutes after it. Creates the chat room with a system message and tells both users.';

-- Locks the pair first (the lock order, participants.sql), then reads the
-- row: every change of a connection holds its pair's lock.
create or replace function app_private.active_connection_of_participant(connection_id uuid) returns interaction_schema.connections as $$
#variable_conflict use_variable
declare
    connection interaction_schema.connections;
begin
    perform app_private.lock_pair_of_connection(connection_id);
    select * into connection from interaction_schema.connections c
     where c.id = connection_id and app_private.require_user_id() in (c.user1_id, c.user2_id);
    if connection.id is null or not connection.is_active then
        raise exception 'You have no active connection with this id.' using errcode = 'RNOCN';
    end if;
    return connection;
end;
$$ language plpgsql volatile security definer set search_path = pg_catalog, public;

comment on function app_private.active_connection_of_participant(uuid) is
  'The active connection, read under its pair''s lock, when the current user is in it; raises RNOCN otherwise.';

--------------------------------------------------------------------------------
-- Ending a connection (unmatch, or a block): it and its room close, a live
-- call between the two ends, a pending video request expires, both are told.
--------------------------------------------------------------------------------

create or replace function app_private.end_connection_between(user_a uuid, user_b uuid) returns uuid as $$
declare
    connection interaction_schema.connections;
begin
    update interaction_schema.interaction_logs l set ended_at = greatest(now(), l.started_at)
     where l.ended_at is null
       and ((l.user1_id = user_a and l.user2_id = user_b) or (l.user1_id = user_b and l.user2_id = user_a));
    update interaction_schema.connections c set is_active = false
     where c.user1_id = least(user_a, user_b) and c.user2_id = greatest(user_a, user_b) and c.is_active
    returning * into connection;
    if connection.id is null then
        return null;
    end if;
    update communication_schema.chat_rooms r set is_active = false where r.connection_id = connection.id;
    update interaction_schema.video_requests v set status = 'expired' where v.connection_id = connection.id and v.status = 'pending';
    perform app_private.notify_users(array[user_a, user_b], 'unmatched', jsonb_build_object('connection_id', connection.id));
    return connection.id;
end;
$$ language plpgsql volatile security definer set search_path = pg_catalog, public;

comment on function app_private.end_connection_between(uuid, uuid) is
  'Ends whatever connects two users: a live call between them, their active connection and its chat, a pending video request; tells both (unmatched). Returns the connection ended, if any.';

create or replace function interaction_schema.unmatch(connection_id uuid) returns interaction_schema.connections as $$
#variable_conflict use_variable
declare
    connection interaction_schema.connections := app_private.active_connection_of_participant(connection_id);
begin
    perform app_private.end_connection_between(connection.user1_id, connection.user2_id);
    select * into connection from interaction_schema.connections c where c.id = connection_id;
    return connection;
end;
$$ language plpgsql volatile security definer set search_path = pg_catalog, public;

comment on function interaction_schema.unmatch(uuid) is
  'Ends a connection from either side: its chat closes (no new messages), a live call between you ends, and the pair is never matched again.';

comment on table interaction_schema.connections is E'@behavior -insert -update -delete\nA lasting connection between a male and a female user, created when she chooses to connect after a call. One per pair.';

-- Row-level security: the two participants read their connection.
alter table interaction_schema.connections enable row level security;

drop policy if exists select_own on interaction_schema.connections;
create policy select_own on interaction_schema.connections for select to rtc_user
    using ((select app_private.current_user_id()) in (user1_id, user2_id));

grant select on interaction_schema.connections to rtc_user;
grant execute on function interaction_schema.connect(uuid), interaction_schema.unmatch(uuid) to rtc_user;
