--! Previous: sha1:8127989489d762fd9bb53baa59d9b113bdcce695
--! Hash: sha1:e6a2524881b91adb1a05a1195c29aa334a0e09ba
--! Message: Accounts: input rules, bearer-token sessions, account secrets

--------------------------------------------------------------------------------
-- Accounts: the input rules of registration, bearer-token sessions, and the
-- private secrets behind log-in throttling, email verification and password
-- reset (DESIGN.md "Accounts", "Sessions and presence").
--------------------------------------------------------------------------------

-- The rules a username, an email and a password must follow. They are
-- functions so that the CHECK constraints below and register() share them.

create or replace function app_private.is_valid_username(username text) returns boolean as $$
    select username ~ '^[A-Za-z0-9_.]{3,50}$';
$$ language sql immutable strict;
comment on function app_private.is_valid_username(text) is
  'A username is 3 to 50 letters, digits, underscores or dots.';

create or replace function app_private.is_valid_email(email text) returns boolean as $$
    select length(email) <= 255 and email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$';
$$ language sql immutable strict;
comment on function app_private.is_valid_email(text) is
  'An email is local@domain.tld without spaces, at most 255 characters.';

alter table user_schema.users
    add constraint users_username_format check (app_private.is_valid_username(username)),
    add constraint users_email_format check (app_private.is_valid_email(email));

-- Usernames, like emails, are unique ignoring case: log-in ignores case.
create unique index users_username_lower_key on user_schema.users (lower(username));

--------------------------------------------------------------------------------
-- Profile input rules (DESIGN.md "Accounts"; README "Profiles").
--------------------------------------------------------------------------------

create or replace function app_private.is_https_url_list(urls jsonb, max_items integer) returns boolean as $$
    select jsonb_typeof(urls) = 'array'
       and jsonb_array_length(urls) <= max_items
       and not jsonb_path_exists(urls, '$[*] ? (@.type() != "string" || !(@ like_regex "^https://[^[:space:]]+$"))');
$$ language sql immutable strict;
comment on function app_private.is_https_url_list(jsonb, integer) is
  'True for a JSON array of at most max_items https URLs.';

create or replace function app_private.is_valid_match_preferences(preferences jsonb) returns boolean as $$
    select jsonb_typeof(preferences) = 'object'
       and (preferences - array['age_min', 'age_max', 'same_country_only']) = '{}'::jsonb
       and jsonb_path_exists(preferences, '$ ? (
             (!exists(@.age_min) || (@.age_min.type() == "number" && @.age_min >= 18 && @.age_min <= 100 && @.age_min == @.age_min.floor()))
          && (!exists(@.age_max) || (@.age_max.type() == "number" && @.age_max >= 18 && @.age_max <= 100 && @.age_max == @.age_max.floor()))
          && (!exists(@.same_country_only) || @.same_country_only.type() == "boolean"))')
       and coalesce((preferences ->> 'age_min')::numeric <= (preferences ->> 'age_max')::numeric, true);
$$ language sql immutable strict;
comment on function app_private.is_valid_match_preferences(jsonb) is
  'Matching preferences: an object with optional age_min and age_max (whole years, 18-100, age_min <= age_max) and same_country_only (boolean); no other keys.';

alter table user_schema.profiles
    add constraint profiles_display_name_not_blank check (length(btrim(display_name)) between 1 and 100),
    add constraint profiles_short_bio_at_most_500_characters check (length(short_bio) <= 500),
    add constraint profiles_photos_at_most_6_https_urls check (app_private.is_https_url_list(photos, 6)),
    add constraint profiles_videos_at_most_2_https_urls check (app_private.is_https_url_list(videos, 2)),
    add constraint profiles_preferences_shape check (app_private.is_valid_match_preferences(preferences));

--------------------------------------------------------------------------------
-- Sessions are bearer tokens (seed defect 6: one row is both the device's
-- authentication and its presence). Only the token's SHA-256 is stored.
--------------------------------------------------------------------------------

alter table user_schema.user_sessions
    add column token_hash bytea not null unique;

comment on column user_schema.user_sessions.token_hash is
  'SHA-256 of the session''s bearer token; the token itself is never stored.';

--------------------------------------------------------------------------------
-- Account secrets: never readable through the API.
--------------------------------------------------------------------------------

create table app_private.user_secrets (
    user_id uuid primary key references user_schema.users (id) on delete cascade,
    failed_login_attempts integer not null default 0,
    first_failed_login_at timestamptz,
    locked_until timestamptz,
    email_verification_token_hash bytea unique,
    email_verification_expires_at timestamptz,
    password_reset_token_hash bytea unique,
    password_reset_expires_at timestamptz
);

comment on table app_private.user_secrets is 'Per-account secrets and counters behind log-in throttling, email verification and password reset.';
comment on column app_private.user_secrets.user_id is 'The account.';
comment on column app_private.user_secrets.failed_login_attempts is 'Wrong passwords since first_failed_login_at.';
comment on column app_private.user_secrets.first_failed_login_at is 'Start of the current 15-minute window of failed log-ins.';
comment on column app_private.user_secrets.locked_until is 'Log-in is refused until then (after 5 failures in 15 minutes).';
comment on column app_private.user_secrets.email_verification_token_hash is 'SHA-256 of the pending email verification token.';
comment on column app_private.user_secrets.email_verification_expires_at is 'When the pending email verification token stops working.';
comment on column app_private.user_secrets.password_reset_token_hash is 'SHA-256 of the pending password reset token.';
comment on column app_private.user_secrets.password_reset_expires_at is 'When the pending password reset token stops working (1 hour after the request).';
