-- communication_schema.messages: triggers and access. Messages are written by
-- the functions of chat.sql (and the system message of connect); the two
-- participants of an active connection read them, newest first by
-- (created_at, id) through idx_messages_room_created_desc.

comment on table communication_schema.messages is E'@behavior -insert -update -delete\nA message in a chat room.';

create or replace trigger update_messages_timestamp
    before update on communication_schema.messages
    for each row execute function public.update_timestamp();

alter table communication_schema.messages enable row level security;

drop policy if exists select_usable_rooms on communication_schema.messages;
create policy select_usable_rooms on communication_schema.messages for select to rtc_user
    using (chat_room_id in (select app_private.my_room_ids()));

grant select on communication_schema.messages to rtc_user;

-- What the constraint asks, for the API's error message (src/server/errors.ts).
comment on constraint messages_metadata_object_at_most_2_kb on communication_schema.messages is 'must be a JSON object of at most 2 KB';
