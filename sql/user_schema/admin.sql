-- Administration (DESIGN.md "Actors and access", "Safety and moderation").
-- Admins are never created through the API: `npm run create-admin` calls
-- app_private.create_admin as the database owner.

create or replace function app_private.create_admin(username text, email text, password text) returns uuid as $$
#variable_conflict use_column
declare
    new_user_id uuid;
begin
    perform app_private.assert_valid_credentials(create_admin.username, create_admin.email, create_admin.password);
    insert into user_schema.users (username, email, password_hash, role, email_verified)
    values (create_admin.username, create_admin.email, app_private.hash_password(create_admin.password), 'admin', true)
    returning id into new_user_id;
    insert into app_private.user_secrets (user_id) values (new_user_id);
    return new_user_id;
end;
$$ language plpgsql volatile set search_path = pg_catalog, public;

comment on function app_private.create_admin(text, text, text) is
  'Creates an admin account (owner only; used by npm run create-admin).';

create or replace function user_schema.set_user_active(user_id uuid, active boolean) returns user_schema.users as $$
#variable_conflict use_column
declare
    target user_schema.users;
begin
    if not exists (select 1 from user_schema.users where id = app_private.require_user_id() and role = 'admin') then
        raise exception 'Only an admin can do this.' using errcode = 'RADMN';
    end if;
    update user_schema.users u set is_active = set_user_active.active where u.id = set_user_active.user_id
    returning * into target;
    if target.id is null then
        raise exception 'There is no such user.' using errcode = 'RNOUS';
    end if;
    return target;
end;
$$ language plpgsql volatile security definer set search_path = pg_catalog, public;

comment on function user_schema.set_user_active(uuid, boolean) is
  'Admin only: deactivates (bans) or reactivates an account. A deactivated user is logged out everywhere and cannot log in.';

grant execute on function user_schema.set_user_active(uuid, boolean) to rtc_admin;
