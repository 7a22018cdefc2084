--! Previous: sha1:adf91998faf8ad41ebaf6898e6101691965f5923
--! Hash: sha1:652b105a0c889083e4ecafc5cf64aca541cc17b6
--! Message: Log-in throttling by subject, known or unknown

--------------------------------------------------------------------------------
-- Log-in throttling by subject: an account, or the name that was tried when
-- it matches no account, so that an unknown name answers exactly like a known
-- one (RCRED, then RLOCK after 5 failures) and the lock reveals nothing.
-- It replaces the counters of app_private.user_secrets.
--------------------------------------------------------------------------------

create table app_private.login_throttles (
    subject text primary key,
    failed_attempts integer not null default 0,
    first_failed_at timestamptz,
    locked_until timestamptz
);

create index login_throttles_cleanup on app_private.login_throttles (coalesce(locked_until, first_failed_at));

comment on table app_private.login_throttles is 'Failed log-ins per subject within 15 minutes, and the resulting 15-minute locks.';
comment on column app_private.login_throttles.subject is '''user:'' and an account id, or ''name:'' and the SHA-256 of a lowercased name that matches no account.';
comment on column app_private.login_throttles.failed_attempts is 'Failures since first_failed_at.';
comment on column app_private.login_throttles.first_failed_at is 'Start of the current 15-minute window of failures.';
comment on column app_private.login_throttles.locked_until is 'Log-in is refused until then.';

alter table app_private.user_secrets
    drop column failed_login_attempts,
    drop column first_failed_login_at,
    drop column locked_until;
