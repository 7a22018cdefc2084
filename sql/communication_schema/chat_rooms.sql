-- communication_schema.chat_rooms: triggers and access.

create or replace trigger update_chat_rooms_timestamp
    before update on communication_schema.chat_rooms
    for each row execute function public.update_timestamp();

alter table communication_schema.chat_rooms enable row level security;
