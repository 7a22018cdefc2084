-- user_schema.profiles: triggers and access.

create or replace trigger update_profiles_timestamp
    before update on user_schema.profiles
    for each row execute function public.update_timestamp();

alter table user_schema.profiles enable row level security;
