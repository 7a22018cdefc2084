-- Accounts: register, log in and out, verify the
-- email, reset or change the password, delete the account. Each function is a
-- GraphQL mutation (or query, when stable). They run as their owner, so each
-- one checks who is calling; errors carry the codes listed in README.md.

--------------------------------------------------------------------------------
-- Register
--------------------------------------------------------------------------------

-- (Role and intent were text before they became enums.)
drop function if exists user_schema.register(text, text, text, text, text, integer, text);
create or replace function user_schema.register(
    username text,
    email text,
    password text,
    role user_schema.user_role,
    display_name text,
    age integer,
    intent user_schema.intent default 'casual'
) returns text as $$
#variable_conflict use_column
declare
    new_user_id uuid;
begin
    perform app_private.rate_limit('register', app_private.client_subject());
    perform app_private.assert_valid_credentials(register.username, register.email, register.password);
    if register.role is null or register.role not in ('male', 'female') then
        raise exception 'Choose the role male or female.' using errcode = 'RGEND';
    end if;
    if register.age is null or register.age not between 18 and 100 then
        raise exception 'You must be between 18 and 100 years old.' using errcode = 'R18UP';
    end if;
    if register.intent is null or register.intent not in ('casual', 'friends', 'serious', 'networking') then
        raise exception 'Choose the intent casual, friends, serious or networking.' using errcode = 'RINTN';
    end if;
    if register.display_name is null or length(btrim(register.display_name)) not between 1 and 100 then
        raise exception 'A display name has 1 to 100 characters.' using errcode = 'RNAME';
    end if;

    insert into user_schema.users (username, email, password_hash, role)
    values (register.username, register.email, app_private.hash_password(register.password), register.role)
    returning id into new_user_id;

    insert into user_schema.profiles (user_id, display_name, age, intent)
    values (new_user_id, btrim(register.display_name), register.age, register.intent);

    perform app_private.queue_email_verification(new_user_id);
    return app_private.create_session(new_user_id);
end;
$$ language plpgsql volatile security definer set search_path = pg_catalog, public;

comment on function user_schema.register(text, text, text, user_schema.user_role, text, integer, user_schema.intent) is
  'Creates an account and its profile, mails an email verification link, and logs the new user in. Returns the bearer token. An email that another account has verified is accepted all the same (the answer must not tell that the address has an account): that account''s owner is mailed instead, and the new account cannot verify it.';

--------------------------------------------------------------------------------
-- Log in and out
--------------------------------------------------------------------------------

create or replace function user_schema.login(username_or_email text, password text) returns text as $$
declare
    account user_schema.users;
    subject text;
begin
    select * into account
      from user_schema.users u
     where lower(u.username) = lower(username_or_email)
        or (lower(u.email) = lower(username_or_email) and u.email_verified); -- others may share an unverified address
    subject := app_private.login_subject(account.id, username_or_email);
    -- The subject's turn first: the address's counter row, locked until
    -- commit too, would let waiting attempts overtake one another.
    perform app_private.lock_login_subject(subject);
    perform app_private.rate_limit('login', app_private.client_subject());

    if account.id is null then
        -- Spend the time a real check takes, so that timing does not tell.
        perform app_private.password_matches(password, '$2a$10$CwTycUXWue0Thq9StjUM0uJ8DOBGTZ2hMcRk/qh5Bcy0VqE4r3yvC');
    end if;
    if account.id is null or not app_private.password_matches(password, account.password_hash) then
        -- Returning (not raising) keeps this count: the failure must commit.
        perform app_private.record_login_failure(subject);
        return null;
    end if;

    if not account.is_active then
        raise exception 'This account has been deactivated.' using errcode = 'RDEAC';
    end if;

    perform app_private.clear_login_failures(subject);
    update user_schema.users u set last_login = now() where u.id = account.id;
    return app_private.create_session(account.id);
end;
$$ language plpgsql volatile security definer set search_path = pg_catalog, public;

comment on function user_schema.login(text, text) is
  'Logs in with a username or a verified email and a password, on a new session valid for 30 days. Returns the bearer token, or null (error RCRED through the API) for a wrong password or unknown user. After 5 failures within 15 minutes the account (or the unknown name) refuses log-in for 15 minutes (RLOCK); concurrent attempts take turns in the order they arrive, so each one counts. A network address makes at most 30 attempts per 15 minutes (RRATE; an attempt refused RLOCK is not counted).';

create or replace function user_schema.logout() returns boolean as $$
begin
    perform app_private.require_user_id();
    perform app_private.end_sessions(array[app_private.current_session_id()], 'no_action');
    return true;
end;
$$ language plpgsql volatile security definer set search_path = pg_catalog, public;

comment on function user_schema.logout() is
  'Ends the current session (this device only).';

create or replace function user_schema.logout_everywhere() returns integer as $$
begin
    return app_private.end_sessions(
        array(select id from user_schema.user_sessions where user_id = app_private.require_user_id()), 'no_action');
end;
$$ language plpgsql volatile security definer set search_path = pg_catalog, public;

comment on function user_schema.logout_everywhere() is
  'Ends every session of the current user, on every device. Returns how many were ended.';

-- Security definer: `select *` includes columns (password_hash) that no API
-- role may read; the API exposes only the granted columns of the result.
create or replace function user_schema.current_user() returns user_schema.users as $$
    select * from user_schema.users where id = app_private.current_user_id();
$$ language sql stable security definer set search_path = pg_catalog, public;

comment on function user_schema.current_user() is
  'The logged-in user, or null.';

--------------------------------------------------------------------------------
-- Email verification
--------------------------------------------------------------------------------

create or replace function user_schema.verify_email(token text) returns boolean as $$
declare
    verified_user_id uuid;
begin
    update app_private.user_secrets s
       set email_verification_token_hash = null, email_verification_expires_at = null
     where s.email_verification_token_hash = app_private.token_hash(token)
       and s.email_verification_expires_at > now()
    returning s.user_id into verified_user_id;
    if verified_user_id is null then
        raise exception 'This verification link is invalid, expired or already used.' using errcode = 'RTOKN';
    end if;
    if exists (select 1 from user_schema.users u, user_schema.users mine
                where mine.id = verified_user_id and lower(u.email) = lower(mine.email) and u.email_verified) then
        raise exception 'Another account has verified this email already.' using errcode = 'RTAKN';
    end if;
    update user_schema.users set email_verified = true where id = verified_user_id;
    return true;
end;
$$ language plpgsql volatile security definer set search_path = pg_catalog, public;

comment on function user_schema.verify_email(text) is
  'Marks the email of the token''s account verified. Each token works once, for 7 days. RTAKN when another account has verified the address meanwhile.';

create or replace function user_schema.resend_email_verification() returns boolean as $$
declare
    me user_schema.users;
begin
    select * into me from user_schema.users where id = app_private.require_user_id();
    if me.email_verified then
        return false;
    end if;
    perform app_private.rate_limit('email_verification', app_private.user_subject(me.id));
    perform app_private.queue_email_verification(me.id);
    return true;
end;
$$ language plpgsql volatile security definer set search_path = pg_catalog, public;

comment on function user_schema.resend_email_verification() is
  'Mails a new verification link (the earlier one stops working). False when the email is already verified.';

--------------------------------------------------------------------------------
-- Passwords
--------------------------------------------------------------------------------

create or replace function app_private.password_checked(p_user_id uuid, p_password text, p_password_hash text) returns boolean as $$
declare
    v_subject text := app_private.login_subject(p_user_id, null);
begin
    perform app_private.lock_login_subject(v_subject);
    if app_private.password_matches(p_password, p_password_hash) then
        perform app_private.clear_login_failures(v_subject);
        return true;
    end if;
    perform app_private.record_login_failure(v_subject);
    return false;
end;
$$ language plpgsql volatile set search_path = pg_catalog, public;

comment on function app_private.password_checked(uuid, text, text) is
  'For changePassword and deleteAccount: checks the password under the account''s log-in throttle (RLOCK while locked; a wrong password counts as a failed log-in).';

create or replace function user_schema.request_password_reset(email text) returns boolean as $$
#variable_conflict use_column
declare
    account user_schema.users;
begin
    perform app_private.rate_limit('password_reset', app_private.client_subject());
    -- The account that verified the address, else the newest that gave it.
    select * into account from user_schema.users u
     where lower(u.email) = lower(request_password_reset.email) and u.is_active
     order by u.email_verified desc, u.created_at desc limit 1;
    if account.id is not null then
        perform app_private.queue_email(account.id, 'password_reset');
    end if;
    return true; -- the same answer whether or not the email belongs to an account
end;
$$ language plpgsql volatile security definer set search_path = pg_catalog, public;

comment on function user_schema.request_password_reset(text) is
  'Mails a password reset link (valid 1 hour, single use) if the email belongs to an active account. Always returns true, so it does not tell whether an account exists.';

create or replace function user_schema.reset_password(token text, new_password text) returns boolean as $$
declare
    reset_user_id uuid;
begin
    perform app_private.assert_valid_password(new_password);
    delete from app_private.password_reset_tokens t
     where t.token_hash = app_private.token_hash(token) and t.expires_at > now()
    returning t.user_id into reset_user_id;
    if reset_user_id is null then
        raise exception 'This password reset link is invalid, expired or already used.' using errcode = 'RTOKN';
    end if;
    perform app_private.clear_login_failures(app_private.login_subject(reset_user_id, null));
    delete from app_private.password_reset_tokens t where t.user_id = reset_user_id; -- every other link too
    update user_schema.users set password_hash = app_private.hash_password(new_password) where id = reset_user_id;
    perform app_private.end_sessions(array(select id from user_schema.user_sessions where user_id = reset_user_id), 'no_action');
    return true;
end;
$$ language plpgsql volatile security definer set search_path = pg_catalog, public;

comment on function user_schema.reset_password(text, text) is
  'Sets a new password with a reset token (any unexpired link mailed to the account; using one ends them all), lifts a log-in lock and ends every session of the account.';

create or replace function user_schema.change_password(current_password text, new_password text) returns boolean as $$
declare
    me user_schema.users;
begin
    select * into me from user_schema.users where id = app_private.require_user_id();
    if not app_private.password_checked(me.id, current_password, me.password_hash) then
        return false; -- RCRED through the API, after the failure is committed
    end if;
    update user_schema.users set password_hash = app_private.hash_password(new_password) where id = me.id;
    perform app_private.end_sessions(
        array(select id from user_schema.user_sessions where user_id = me.id and id <> app_private.current_session_id()), 'no_action');
    return true;
end;
$$ language plpgsql volatile security definer set search_path = pg_catalog, public;

comment on function user_schema.change_password(text, text) is
  'Changes the password after checking the current one; every other session of the user ends. Returns false (error RCRED through the API) for a wrong current password, which counts as a failed log-in (RLOCK after 5).';

--------------------------------------------------------------------------------
-- Delete the account
--------------------------------------------------------------------------------

create or replace function user_schema.delete_account(password text) returns boolean as $$
declare
    me user_schema.users;
begin
    select * into me from user_schema.users where id = app_private.require_user_id();
    if not app_private.password_checked(me.id, password, me.password_hash) then
        return false; -- RCRED through the API, after the failure is committed
    end if;
    -- Sessions (and with them a live call and the queue) end in the lock
    -- order first; the rest goes with the account.
    perform app_private.end_sessions(array(select id from user_schema.user_sessions where user_id = me.id), 'no_action');
    delete from user_schema.users where id = me.id;
    return true;
end;
$$ language plpgsql volatile security definer set search_path = pg_catalog, public;

comment on function user_schema.delete_account(text) is
  'Deletes the current user''s account after checking the password; everything of theirs goes with it. Returns false (error RCRED through the API) for a wrong password, which counts as a failed log-in (RLOCK after 5).';

--------------------------------------------------------------------------------
-- Who may call what. PUBLIC has nothing (see the first migration).
--------------------------------------------------------------------------------

grant execute on function
    user_schema.register(text, text, text, user_schema.user_role, text, integer, user_schema.intent),
    user_schema.login(text, text),
    user_schema.verify_email(text),
    user_schema.request_password_reset(text),
    user_schema.reset_password(text, text),
    user_schema.current_user() -- null for a visitor
  to rtc_visitor, rtc_user, rtc_admin;

grant execute on function
    user_schema.logout(),
    user_schema.logout_everywhere(),
    user_schema.resend_email_verification(),
    user_schema.change_password(text, text),
    user_schema.delete_account(text)
  to rtc_user, rtc_admin;
