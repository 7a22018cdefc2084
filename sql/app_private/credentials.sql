-- Passwords and one-time tokens. Passwords are hashed with bcrypt inside
-- Postgres (cost 10; pgcrypto's default is 6). Tokens are 256 random bits;
-- only their SHA-256 is stored.

create or replace function app_private.assert_valid_password(password text) returns void as $$
begin
    if password is null or length(password) < 10 then
        raise exception 'A password needs at least 10 characters.' using errcode = 'RPASS';
    end if;
    if octet_length(password) > 72 then
        raise exception 'A password can be at most 72 bytes long.' using errcode = 'RPASS';
    end if;
end;
$$ language plpgsql immutable;

comment on function app_private.assert_valid_password(text) is
  'Raises RPASS unless the password has at least 10 characters and at most 72 bytes (bcrypt''s limit).';

create or replace function app_private.assert_valid_credentials(username text, email text, password text) returns void as $$
begin
    if not coalesce(app_private.is_valid_username(username), false) then
        raise exception 'A username is 3 to 50 letters, digits, underscores or dots.' using errcode = 'RUSER';
    end if;
    if not coalesce(app_private.is_valid_email(email), false) then
        raise exception 'That is not a valid email address.' using errcode = 'RMAIL';
    end if;
    perform app_private.assert_valid_password(password);
    if exists (select 1 from user_schema.users u where lower(u.username) = lower(assert_valid_credentials.username)) then
        raise exception 'That username is taken.' using errcode = 'RTAKN';
    end if;
end;
$$ language plpgsql stable security definer set search_path = pg_catalog, public;

comment on function app_private.assert_valid_credentials(text, text, text) is
  'Raises RUSER, RMAIL, RPASS or RTAKN (the username) unless a new account may have this username, email and password. An email may be one that an account has already: registering does not tell.';

create or replace function app_private.hash_password(password text) returns text as $$
begin
    perform app_private.assert_valid_password(password);
    return crypt(password, gen_salt('bf', 10));
end;
$$ language plpgsql volatile set search_path = pg_catalog, public;

comment on function app_private.hash_password(text) is
  'bcrypt hash (cost 10) of a password that follows the password rules.';

create or replace function app_private.password_matches(password text, password_hash text) returns boolean as $$
    select password_hash is not null and crypt(coalesce(password, ''), password_hash) = password_hash;
$$ language sql volatile set search_path = pg_catalog, public;

comment on function app_private.password_matches(text, text) is
  'True when the password matches the bcrypt hash.';

create or replace function app_private.new_token() returns text as $$
    select encode(gen_random_bytes(32), 'hex');
$$ language sql volatile set search_path = pg_catalog, public;

comment on function app_private.new_token() is
  'A new random token: 256 bits, hex encoded.';

create or replace function app_private.token_hash(token text) returns bytea as $$
    select digest(token, 'sha256');
$$ language sql immutable set search_path = pg_catalog, public;

comment on function app_private.token_hash(text) is
  'The stored form of a token: its SHA-256.';

create or replace function app_private.create_session(user_id uuid) returns text as $$
declare
    token text := app_private.new_token();
begin
    insert into user_schema.user_sessions (user_id, token_hash, status, ip_address, user_agent, expires_at)
    values (
        create_session.user_id,
        app_private.token_hash(token),
        'online',
        nullif(current_setting('rtc.ip_address', true), '')::inet,
        nullif(current_setting('rtc.user_agent', true), ''),
        now() + interval '30 days'
    );
    -- At most 10 sessions per user: a new one ends the oldest beyond that.
    delete from user_schema.user_sessions s
     where s.id in (select o.id from user_schema.user_sessions o where o.user_id = create_session.user_id
                     order by o.created_at desc, o.id offset 10);
    return token;
end;
$$ language plpgsql volatile security definer set search_path = pg_catalog, public;

comment on function app_private.create_session(uuid) is
  'Logs the user in on a new device: a session valid for 30 days; returns its bearer token. A user keeps at most 10 sessions: the oldest beyond that ends.';
