-- user_schema.user_sessions: triggers and access.

create or replace trigger update_sessions_timestamp
    before update on user_schema.user_sessions
    for each row execute function public.update_timestamp();

alter table user_schema.user_sessions enable row level security;
