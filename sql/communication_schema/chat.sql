-- Chat: only the two participants of an active connection
-- read or write its room. Messages are sent, edited (15 minutes), deleted
-- (soft), marked read; typing is announced, never stored. Each room event
-- is one NOTIFY on each recipient's own channel, carrying the message row
-- when it fits; the API turns a new message into the partner's inbox event too.

--------------------------------------------------------------------------------
-- Who is in a room, and its live channel
--------------------------------------------------------------------------------

-- (It took the room only before it could also answer for a user who must be able to use it.)
drop function if exists app_private.room_participants(uuid);
drop function if exists app_private.usable_room_participants(uuid, uuid);
create or replace function app_private.room_participants(chat_room_id uuid, usable_by uuid default null) returns uuid[] as $$
    select array[c.user1_id, c.user2_id]
      from communication_schema.chat_rooms r
      join interaction_schema.connections c on c.id = r.connection_id
     where r.id = chat_room_id
       and (usable_by is null or (r.is_active and c.is_active and usable_by in (c.user1_id, c.user2_id)));
$$ language sql stable security definer set search_path = pg_catalog, public;

comment on function app_private.room_participants(uuid, uuid) is
  'The two users of a chat room (its connection''s pair); with usable_by, only when that user is one of them and the room and its connection are active (null otherwise).';

-- (can_use_room asked the same of the current user; require_room below does.)
drop function if exists app_private.can_use_room(uuid);

-- For row-level security: a policy that asks `chat_room_id in (select
-- app_private.my_room_ids())` runs this once per statement, not once per row.
create or replace function app_private.my_room_ids() returns setof uuid as $$
    select r.id
      from (select app_private.current_user_id() as id) me
      join interaction_schema.connections c on me.id in (c.user1_id, c.user2_id) and c.is_active
      join communication_schema.chat_rooms r on r.connection_id = c.id and r.is_active;
$$ language sql stable security definer set search_path = pg_catalog, public;

comment on function app_private.my_room_ids() is
  'The chat rooms the current user may read and write: those of their active connections (the set that room_participants(room, usable_by) tests one room against).';

grant execute on function app_private.my_room_ids() to rtc_user;

-- (It took the room only, and returned nothing, before it returned the room's users.)
drop function if exists app_private.require_room(uuid);
create or replace function app_private.require_room(chat_room_id uuid, user_id uuid default app_private.current_user_id()) returns uuid[] as $$
declare
    participants uuid[] := app_private.room_participants(chat_room_id, usable_by => user_id);
begin
    if participants is null then
        raise exception 'You cannot use this chat room.' using errcode = 'RROOM';
    end if;
    return participants;
end;
$$ language plpgsql stable;

comment on function app_private.require_room(uuid, uuid) is
  'The room''s two users; raises RROOM unless the user (by default the current one) may read and write the room (participant, active connection).';

-- What a live-events subscription listens to (src/server/plugins/live-events.ts):
-- the caller's own channel; with a room, only once the caller may use it
-- (RAUTH, RROOM), checked when the subscription starts.
create or replace function app_private.live_events_channel(chat_room_id uuid default null) returns text as $$
declare
    me uuid := app_private.require_user_id();
begin
    if chat_room_id is not null then
        perform app_private.require_room(chat_room_id);
    end if;
    return app_private.user_channel(me);
end;
$$ language plpgsql stable security definer set search_path = pg_catalog, public;

comment on function app_private.live_events_channel(uuid) is
  'The LISTEN channel of the current user''s live events; with a room, raises RROOM unless the user may use it.';

grant execute on function app_private.live_events_channel(uuid) to rtc_user, rtc_admin;

-- (Room events used to have a channel per room and participant.)
drop function if exists app_private.notify_room(uuid, text, jsonb);
drop function if exists app_private.room_channel(uuid, uuid);

create or replace function app_private.live_message(message communication_schema.messages) returns jsonb as $$
    -- Times as the API prints them everywhere else (ISO 8601, microseconds in full).
    select to_jsonb(message) || jsonb_build_object(
        'created_at', to_char(message.created_at, 'YYYY-MM-DD"T"HH24:MI:SS.USTZH:TZM'),
        'updated_at', to_char(message.updated_at, 'YYYY-MM-DD"T"HH24:MI:SS.USTZH:TZM'));
$$ language sql stable;

comment on function app_private.live_message(communication_schema.messages) is
  'A message as a live event delivers it (GraphQL LiveMessage, src/server/plugins/live-rows.ts): its columns as JSON.';

grant execute on function app_private.live_message(communication_schema.messages) to rtc_user;

-- (It looked the room's users up itself before a caller could pass them.)
drop function if exists app_private.notify_room(communication_schema.messages, text, jsonb);
create or replace function app_private.notify_room(message communication_schema.messages, event text, extra jsonb default '{}', participants uuid[] default null)
returns void as $$
    select app_private.notify_users(coalesce(participants, app_private.room_participants(message.chat_room_id)), event,
               jsonb_build_object('chat_room_id', message.chat_room_id, 'message_id', message.id, 'sender_user_id', message.sender_user_id) || extra,
               jsonb_build_object('message', app_private.live_message(message)));
$$ language sql volatile;

comment on function app_private.notify_room(communication_schema.messages, text, jsonb, uuid[]) is
  'Sends a room event about a message to both participants (given, or looked up), one NOTIFY each: {"event", "chat_room_id", "message_id", "sender_user_id", <extra>, "message": <the row, when it fits>}.';

--------------------------------------------------------------------------------
-- Messages
--------------------------------------------------------------------------------

-- (The message type was text before it became an enum.)
drop function if exists communication_schema.send_message(uuid, text, text, jsonb);
drop function if exists communication_schema.send_message(uuid, text, communication_schema.message_type, jsonb);
create or replace function communication_schema.send_message(chat_room_id uuid, content text, message_type communication_schema.message_type default 'text',
                                                             metadata jsonb default '{}', client_message_id uuid default null)
returns communication_schema.messages as $$
-- Names in the insert's ON CONFLICT are the table's columns; elsewhere the parameters are named in full.
#variable_conflict use_column
declare
    me uuid := app_private.require_user_id();
    participants uuid[];
    message communication_schema.messages;
begin
    perform app_private.rate_limit('send_message', app_private.user_subject(me));
    participants := app_private.require_room(send_message.chat_room_id, me);
    if send_message.message_type = 'system' then
        raise exception 'System messages come only from the service.' using errcode = 'RSYST';
    end if;
    insert into communication_schema.messages (chat_room_id, sender_user_id, content, message_type, metadata, client_message_id)
    values (send_message.chat_room_id, me, send_message.content, coalesce(send_message.message_type, 'text'),
            coalesce(send_message.metadata, '{}'), send_message.client_message_id)
    on conflict (sender_user_id, client_message_id) where client_message_id is not null do nothing
    returning * into message;
    if message.id is null then
        -- A retry: the message is already stored (and was announced).
        select * into message from communication_schema.messages m where m.sender_user_id = me and m.client_message_id = send_message.client_message_id;
        return message;
    end if;
    perform app_private.notify_room(message, 'message_created', participants => participants);
    return message;
end;
$$ language plpgsql volatile security definer set search_path = pg_catalog, public;

comment on function communication_schema.send_message(uuid, text, communication_schema.message_type, jsonb, uuid) is
  'Sends a message (text, image, video or voice; media need an https metadata.url) of 1 to 4000 characters to a room of an active connection. With a clientMessageId (a uuid the client chooses per message), sending again stores nothing new and returns the message already stored.';

create or replace function app_private.own_message(message_id uuid) returns communication_schema.messages as $$
declare
    message communication_schema.messages;
begin
    select * into message from communication_schema.messages m where m.id = message_id for update;
    if message.id is null or message.sender_user_id is distinct from app_private.require_user_id() or message.message_type = 'system' then
        raise exception 'You can only change your own messages.' using errcode = 'RNOTM';
    end if;
    perform app_private.require_room(message.chat_room_id);
    if message.is_deleted then
        raise exception 'This message was deleted.' using errcode = 'RDELD';
    end if;
    return message;
end;
$$ language plpgsql volatile security definer set search_path = pg_catalog, public;

comment on function app_private.own_message(uuid) is
  'The current user''s own, not deleted message in a room they may use, locked; raises RNOTM, RROOM or RDELD otherwise.';

create or replace function app_private.message_edit_window() returns interval as $$
    select interval '15 minutes';
$$ language sql immutable;

comment on function app_private.message_edit_window() is
  'How long after sending a message its sender may edit it.';

create or replace function communication_schema.edit_message(message_id uuid, content text) returns communication_schema.messages as $$
#variable_conflict use_variable
declare
    message communication_schema.messages := app_private.own_message(message_id);
begin
    if message.created_at < now() - app_private.message_edit_window() then
        raise exception 'A message can only be edited in the 15 minutes after it was sent.' using errcode = 'REDIT';
    end if;
    update communication_schema.messages m set content = content, is_edited = true where m.id = message.id
    returning * into message;
    perform app_private.notify_room(message, 'message_edited');
    return message;
end;
$$ language plpgsql volatile security definer set search_path = pg_catalog, public;

comment on function communication_schema.edit_message(uuid, text) is
  'Edits one''s own message within 15 minutes of sending it; marks it edited.';

create or replace function communication_schema.delete_message(message_id uuid) returns communication_schema.messages as $$
declare
    message communication_schema.messages := app_private.own_message(message_id);
begin
    update communication_schema.messages m set is_deleted = true, content = '', metadata = '{}' where m.id = message.id
    returning * into message;
    perform app_private.notify_room(message, 'message_deleted');
    return message;
end;
$$ language plpgsql volatile security definer set search_path = pg_catalog, public;

comment on function communication_schema.delete_message(uuid) is
  'Deletes one''s own message: it stays in the history as deleted, its content and media are gone for both sides.';

--------------------------------------------------------------------------------
-- Read receipts and typing
--------------------------------------------------------------------------------

create or replace function communication_schema.mark_room_read(chat_room_id uuid, up_to_message_id uuid) returns integer as $$
#variable_conflict use_variable
declare
    me uuid := app_private.require_user_id();
    up_to communication_schema.messages;
    marked integer;
    participants uuid[] := app_private.require_room(chat_room_id, me);
begin
    select * into up_to from communication_schema.messages m where m.id = up_to_message_id and m.chat_room_id = chat_room_id;
    if up_to.id is null then
        raise exception 'There is no such message in this room.' using errcode = 'RNOMS';
    end if;
    insert into communication_schema.message_read_status (message_id, user_id)
    select m.id, me
      from communication_schema.messages m
     where m.chat_room_id = chat_room_id
       and m.sender_user_id <> me
       and (m.created_at, m.id) <= (up_to.created_at, up_to.id)
       and not exists (select 1 from communication_schema.message_read_status r where r.message_id = m.id and r.user_id = me)
    on conflict (message_id, user_id) do nothing;
    get diagnostics marked = row_count;
    if marked > 0 then
        perform app_private.notify_room(up_to, 'messages_read', jsonb_build_object('user_id', me), participants);
    end if;
    return marked;
end;
$$ language plpgsql volatile security definer set search_path = pg_catalog, public;

comment on function communication_schema.mark_room_read(uuid, uuid) is
  'Marks every unread message from the partner up to (and including) that message as read by the current user, in one statement; returns how many. Calling it again changes nothing.';

create or replace function communication_schema.chat_rooms_unread_count(room communication_schema.chat_rooms) returns integer as $$
    -- Receipts always cover everything up to a message, so unread = the
    -- partner's messages after the newest one the user has read: two walks
    -- down idx_messages_room_created_desc, from the newest message.
    with me as (select app_private.current_user_id() as id),
    last_read as (
        select m.created_at, m.id
          from communication_schema.messages m, me
         where m.chat_room_id = room.id and m.sender_user_id <> me.id
           and exists (select 1 from communication_schema.message_read_status r where r.message_id = m.id and r.user_id = me.id)
         order by m.created_at desc, m.id desc
         limit 1
    )
    select count(*)::integer
      from communication_schema.messages m, me
     where m.chat_room_id = room.id and m.sender_user_id <> me.id and not m.is_deleted and m.message_type <> 'system'
       and (not exists (select 1 from last_read) or (m.created_at, m.id) > (select l.created_at, l.id from last_read l));
$$ language sql stable;

comment on function communication_schema.chat_rooms_unread_count(communication_schema.chat_rooms) is
  'How many of the partner''s messages (not system messages) in this room the current user has not read.';

create or replace function communication_schema.send_typing(chat_room_id uuid) returns boolean as $$
#variable_conflict use_variable
declare
    me uuid := app_private.require_user_id();
    participants uuid[];
begin
    perform app_private.rate_limit('send_typing', app_private.user_subject(me));
    participants := app_private.require_room(chat_room_id, me);
    -- To the partner only: the typist knows.
    perform app_private.notify_user(participant, 'typing', jsonb_build_object(
        'chat_room_id', chat_room_id, 'user_id', me, 'until', now() + interval '10 seconds'))
       from unnest(participants) as participant
      where participant <> me;
    return true;
end;
$$ language plpgsql volatile security definer set search_path = pg_catalog, public;

comment on function communication_schema.send_typing(uuid) is
  'Tells the partner you are typing; they show it for 10 seconds unless you send it again. Never stored, never sent back to you.';

grant execute on function
    communication_schema.send_message(uuid, text, communication_schema.message_type, jsonb, uuid),
    communication_schema.edit_message(uuid, text),
    communication_schema.delete_message(uuid),
    communication_schema.mark_room_read(uuid, uuid),
    communication_schema.chat_rooms_unread_count(communication_schema.chat_rooms),
    communication_schema.send_typing(uuid)
  to rtc_user;
