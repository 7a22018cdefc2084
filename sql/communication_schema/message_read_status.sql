-- communication_schema.message_read_status: access. Written by mark_room_read
-- (chat.sql); read by the participants of the message's room.

comment on table communication_schema.message_read_status is E'@behavior -insert -update -delete\nThat a user has read a message.';

alter table communication_schema.message_read_status enable row level security;

drop policy if exists select_usable_rooms on communication_schema.message_read_status;
create policy select_usable_rooms on communication_schema.message_read_status for select to rtc_user
    using (message_id in (
        select m.id from communication_schema.messages m
         where m.chat_room_id in (select app_private.my_room_ids())));

grant select on communication_schema.message_read_status to rtc_user;
