-- Cluster-wide roles, in the graphile/starter manner. Run as a superuser by
-- `npm run db:setup` (src/db/setup.ts), which first sets rtc.owner_password
-- and rtc.authenticator_password for this session. Safe to run again.
--
--   rtc_owner          owns the database and every object in it; migrations run as it
--   rtc_authenticator  the API's login role; it can do nothing itself (noinherit)
--                      but switch to one of the three roles below per request
--   rtc_visitor        a client that is not logged in
--   rtc_user           a logged-in male or female user
--   rtc_admin          a logged-in admin; deliberately not a member of rtc_user,
--                      so it never inherits a user's own-data grants (e.g. email)

do $$
declare
    role_name text;
begin
    foreach role_name in array array['rtc_owner', 'rtc_authenticator', 'rtc_visitor', 'rtc_user', 'rtc_admin'] loop
        if not exists (select 1 from pg_roles where rolname = role_name) then
            execute format('create role %I', role_name);
        end if;
    end loop;
    execute format('alter role rtc_owner with login password %L', current_setting('rtc.owner_password'));
    execute format('alter role rtc_authenticator with login noinherit password %L', current_setting('rtc.authenticator_password'));
end
$$;

alter role rtc_visitor with nologin;
alter role rtc_user with nologin;
alter role rtc_admin with nologin;

grant rtc_visitor, rtc_user, rtc_admin to rtc_authenticator;
revoke rtc_user from rtc_admin;
