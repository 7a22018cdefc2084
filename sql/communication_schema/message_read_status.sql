-- communication_schema.message_read_status: access. Written by mark_room_read
-- (chat.sql); read by the participants of the message's room.

comment on table communication_schema.message_read_status is E'@behavior -insert -update -delete\nThat a user has read a message.';

alter table communication_schema.message_read_status enable row level security;

drop policy if exists select_usable_rooms on communication_schema.message_read_status;
create policy select_usable_rooms on communication_schema.message_read_status for select to rtc_user
    using (exists (
        select 1 from communication_schema.messages m
         where m.id = message_id and app_private.can_use_room(m.chat_room_id)));

grant select on communication_schema.message_read_status to rtc_user;
