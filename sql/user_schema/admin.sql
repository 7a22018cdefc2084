-- Administration: making an admin, and the check that the caller is one.
-- Admins are never created through the API: `npm run create-admin` calls
-- app_private.create_admin as the database owner.

create or replace function app_private.create_admin(username text, email text, password text) returns uuid as $$
#variable_conflict use_column
declare
    new_user_id uuid;
begin
    perform app_private.assert_valid_credentials(create_admin.username, create_admin.email, create_admin.password);
    if exists (select 1 from user_schema.users u where lower(u.email) = lower(create_admin.email) and u.email_verified) then
        raise exception 'An account has verified that email already.' using errcode = 'RTAKN';
    end if;
    insert into user_schema.users (username, email, password_hash, role, email_verified)
    values (create_admin.username, create_admin.email, app_private.hash_password(create_admin.password), 'admin', true)
    returning id into new_user_id;
    insert into app_private.user_secrets (user_id) values (new_user_id);
    return new_user_id;
end;
$$ language plpgsql volatile set search_path = pg_catalog, public;

comment on function app_private.create_admin(text, text, text) is
  'Creates an admin account (owner only; used by npm run create-admin).';

create or replace function app_private.require_admin() returns uuid as $$
declare
    me uuid := app_private.require_user_id();
begin
    if not exists (select 1 from user_schema.users where id = me and role = 'admin') then
        raise exception 'Only an admin can do this.' using errcode = 'RADMN';
    end if;
    return me;
end;
$$ language plpgsql stable security definer set search_path = pg_catalog, public;

comment on function app_private.require_admin() is
  'The logged-in admin; raises RADMN for anyone else (RAUTH when not logged in).';

grant execute on function app_private.require_admin() to rtc_admin;

-- Returns a boolean, not the account: a security definer function's result
-- is not limited by column grants, and admins never read emails.
drop function if exists user_schema.set_user_active(uuid, boolean);
create function user_schema.set_user_active(user_id uuid, active boolean) returns boolean as $$
#variable_conflict use_column
begin
    perform app_private.require_admin();
    perform app_private.lock_users(array[set_user_active.user_id]); -- before the row (lock order, participants.sql)
    update user_schema.users u set is_active = set_user_active.active where u.id = set_user_active.user_id;
    if not found then
        raise exception 'There is no such user.' using errcode = 'RNOUS';
    end if;
    return set_user_active.active;
end;
$$ language plpgsql volatile strict security definer set search_path = pg_catalog, public;

comment on function user_schema.set_user_active(uuid, boolean) is
  'Admin only: deactivates (bans) or reactivates an account; returns the new state. A deactivated user is logged out everywhere, leaves the queue and any call, and cannot log in.';

grant execute on function user_schema.set_user_active(uuid, boolean) to rtc_admin;
