-- user_schema.users: triggers and access.

grant usage on schema user_schema to rtc_visitor, rtc_user, rtc_admin;

comment on table user_schema.users is E'@behavior -insert -update -delete\nAn account: authentication data and role. Only the owner reads their email; nobody reads password_hash.';

create or replace trigger update_users_timestamp
    before update on user_schema.users
    for each row execute function public.update_timestamp();

-- A user's role is fixed at registration; the
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

-- A deactivated (banned) account loses every session at once, which also
-- takes it out of the queue; its live call ends (timeout: the system ended it).
create or replace function app_private.tg_users__deactivated_loses_sessions()
returns trigger as $$
begin
    perform app_private.lock_users(array[new.id]);
    perform app_private.end_live_calls(array[new.id], 'timeout');
    perform app_private.end_sessions(array(select id from user_schema.user_sessions where user_id = new.id), 'timeout');
    return null;
end;
$$ language plpgsql security definer set search_path = pg_catalog, public;

comment on function app_private.tg_users__deactivated_loses_sessions() is
  'Trigger: a user set inactive is logged out of every device, leaves the queue and their live call.';

create or replace trigger users_deactivated_loses_sessions
    after update of is_active on user_schema.users
    for each row when (old.is_active and not new.is_active)
    execute function app_private.tg_users__deactivated_loses_sessions();

-- Row-level security: a user reads their own account; an admin reads every
-- account, but never an email (the column is not granted to rtc_admin).
alter table user_schema.users enable row level security;

drop policy if exists select_own on user_schema.users;
create policy select_own on user_schema.users for select to rtc_user
    using (id = (select app_private.current_user_id()));

drop policy if exists select_all_as_admin on user_schema.users;
create policy select_all_as_admin on user_schema.users for select to rtc_admin
    using (true);

-- An email is its owner's only, whoever else reads the account (admins): no
-- API role selects the column, and User.email reads it through own_email(),
-- which answers for the logged-in user's own account and is null for any other
-- (so an admin's user listing has no field that fails).
revoke select (email) on user_schema.users from rtc_user;
grant select (id, username, role, email_verified, is_active, created_at, updated_at, last_login) on user_schema.users to rtc_user;
grant select (id, username, role, email_verified, is_active, created_at, updated_at, last_login) on user_schema.users to rtc_admin;

create or replace function app_private.own_email(user_id uuid) returns text as $$
    select u.email from user_schema.users u where u.id = own_email.user_id and u.id = app_private.current_user_id();
$$ language sql stable security definer set search_path = pg_catalog, public;

comment on function app_private.own_email(uuid) is
  'The email of this account if it is the logged-in user''s own, else null (User.email, src/server/plugins/own-email.ts).';

grant execute on function app_private.own_email(uuid) to rtc_user, rtc_admin;

