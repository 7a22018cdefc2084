-- communication_schema.chat_rooms: triggers and access. Rooms are created by
-- connect (sql/interaction_schema/connections.sql) and closed by unmatch and
-- block; only the two participants of an active connection read them.

comment on table communication_schema.chat_rooms is E'@behavior -insert -update -delete\nThe chat room of a connection (one per connection).';

create or replace trigger update_chat_rooms_timestamp
    before update on communication_schema.chat_rooms
    for each row execute function public.update_timestamp();

grant usage on schema communication_schema to rtc_user;

alter table communication_schema.chat_rooms enable row level security;

drop policy if exists select_usable on communication_schema.chat_rooms;
create policy select_usable on communication_schema.chat_rooms for select to rtc_user
    using (id in (select app_private.my_room_ids()));

grant select on communication_schema.chat_rooms to rtc_user;
