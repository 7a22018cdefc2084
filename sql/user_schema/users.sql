-- user_schema.users: triggers and access.

create or replace trigger update_users_timestamp
    before update on user_schema.users
    for each row execute function public.update_timestamp();

-- A user's role is fixed at registration (DESIGN.md "Actors and access"); the
-- male/female rules of calls and connections rely on it never changing.
create or replace function app_private.tg_users__role_is_fixed()
returns trigger as $$
begin
    raise exception 'A user''s role cannot be changed.' using errcode = 'RROLE';
end;
$$ language plpgsql;

comment on function app_private.tg_users__role_is_fixed() is
  'Trigger: refuses any change of users.role.';

create or replace trigger users_role_is_fixed
    before update of role on user_schema.users
    for each row when (old.role is distinct from new.role)
    execute function app_private.tg_users__role_is_fixed();

alter table user_schema.users enable row level security;
