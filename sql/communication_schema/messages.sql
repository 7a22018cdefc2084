-- communication_schema.messages: triggers and access.

create or replace trigger update_messages_timestamp
    before update on communication_schema.messages
    for each row execute function public.update_timestamp();

alter table communication_schema.messages enable row level security;
