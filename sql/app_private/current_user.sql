-- Who is asking. The API server turns a bearer token into the settings that
-- these functions read (src/server/auth.ts): `role` and `rtc.session_id`.
-- The session is checked again here in every transaction, so a session that
-- was revoked, expired or whose user was deactivated stops working at once.

grant usage on schema app_private to rtc_visitor, rtc_user, rtc_admin;

create or replace function app_private.current_session_id() returns uuid as $$
    select nullif(current_setting('rtc.session_id', true), '')::uuid;
$$ language sql stable;

comment on function app_private.current_session_id() is
  'The session the request was authenticated with (setting rtc.session_id), or null.';

create or replace function app_private.current_user_id() returns uuid as $$
declare
    session_id uuid := app_private.current_session_id();
    -- '<session id>:<user id>' once this transaction has checked that session.
    checked text := current_setting('rtc.checked_session', true);
    user_id uuid;
begin
    if session_id is null then
        return null;
    end if;
    if checked like session_id::text || ':%' then
        return nullif(substr(checked, 38), '')::uuid;
    end if;
    select s.user_id into user_id
      from user_schema.user_sessions s
      join user_schema.users u on u.id = s.user_id
     where s.id = session_id
       and s.expires_at > now()
       and u.is_active;
    -- A request that carries a session which is no longer live is refused,
    -- whether or not the API server has heard of its end yet.
    if user_id is null then
        raise exception 'Your session has expired or was ended. Log in again.' using errcode = 'RSESS';
    end if;
    perform set_config('rtc.checked_session', session_id::text || ':' || user_id::text, true);
    return user_id;
end;
$$ language plpgsql stable security definer set search_path = pg_catalog, public;

comment on function app_private.current_user_id() is
  'The logged-in user: the owner of a live session of an active account; null for a visitor, and once this transaction ended its own session (sql/user_schema/user_sessions.sql). Checked once per transaction (now() does not move within one); a request whose session is no longer live raises RSESS.';

create or replace function app_private.require_user_id() returns uuid as $$
declare
    user_id uuid := app_private.current_user_id();
begin
    if user_id is null then
        raise exception 'You must be logged in.' using errcode = 'RAUTH';
    end if;
    return user_id;
end;
$$ language plpgsql stable;

comment on function app_private.require_user_id() is
  'The logged-in user; raises RAUTH when there is none.';

create or replace function app_private.require_other_user(other_user_id uuid) returns uuid as $$
declare
    me uuid := app_private.require_user_id();
begin
    if other_user_id = me then
        raise exception 'You cannot do this to yourself.' using errcode = 'RSELF';
    end if;
    if not exists (select 1 from user_schema.users u where u.id = other_user_id) then
        raise exception 'There is no such user.' using errcode = 'RNOUS';
    end if;
    return me;
end;
$$ language plpgsql stable security definer set search_path = pg_catalog, public;

comment on function app_private.require_other_user(uuid) is
  'The logged-in user, when the other user exists and is someone else; raises RAUTH, RSELF or RNOUS otherwise (for block and report).';

grant execute on function app_private.current_session_id(), app_private.current_user_id(), app_private.require_user_id()
    to rtc_visitor, rtc_user, rtc_admin;

-- The API server's one privileged look-up: which session, user and role a
-- bearer token stands for. Only the authenticator may call it. (Dropped
-- first: its result columns may change, which create or replace refuses.)
drop function if exists app_private.authenticate(text);
create function app_private.authenticate(token text)
returns table (session_id uuid, user_id uuid, user_role text, expires_at timestamptz) as $$
    select s.id, s.user_id, u.role, s.expires_at
      from user_schema.user_sessions s
      join user_schema.users u on u.id = s.user_id
     where s.token_hash = digest(token, 'sha256')
       and s.expires_at > now()
       and u.is_active;
$$ language sql stable security definer set search_path = pg_catalog, public;

comment on function app_private.authenticate(text) is
  'The live session of an active user that a bearer token belongs to (none when unknown, expired or revoked), and when it expires.';

revoke all on function app_private.authenticate(text) from public;
grant usage on schema app_private to rtc_authenticator;
grant execute on function app_private.authenticate(text) to rtc_authenticator;

-- After its LISTEN on sessions_ended was interrupted, the API server asks
-- which sessions of its open websockets ended meanwhile.
create or replace function app_private.ended_session_ids(session_ids uuid[]) returns setof uuid as $$
    select ids.id
      from unnest(session_ids) as ids(id)
     where not exists (
        select 1
          from user_schema.user_sessions s
          join user_schema.users u on u.id = s.user_id
         where s.id = ids.id and s.expires_at > now() and u.is_active);
$$ language sql stable security definer set search_path = pg_catalog, public;

comment on function app_private.ended_session_ids(uuid[]) is
  'Those of the given sessions that are no longer live (ended, expired, or of a deactivated user).';

revoke all on function app_private.ended_session_ids(uuid[]) from public;
grant execute on function app_private.ended_session_ids(uuid[]) to rtc_authenticator;
