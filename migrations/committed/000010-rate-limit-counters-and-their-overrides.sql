--! Previous: sha1:a2c5d87cd197b005ee8e191bdc9aeafb42eb6749
--! Hash: sha1:bca2e1df08fe4b35856ee2d9836620f1ee9ff565
--! Message: Rate-limit counters and their overrides

--------------------------------------------------------------------------------
-- Rate limits: one counter per (action, subject) and fixed window, shared by
-- every API process because it lives here. The rules' defaults are in
-- sql/app_private/rate_limits.sql; an operator overrides one with a row of
-- rate_limit_overrides.
--------------------------------------------------------------------------------

create table app_private.rate_limit_counters (
    action text not null,
    subject text not null,
    window_started_at timestamptz not null,
    hits integer not null,
    primary key (action, subject)
);

comment on table app_private.rate_limit_counters is 'How often each subject (a user or a network address) did each rate-limited action in its current window.';
comment on column app_private.rate_limit_counters.action is 'The rate-limited action (sql/app_private/rate_limits.sql lists them).';
comment on column app_private.rate_limit_counters.subject is '''user:'' and a user id, ''ip:'' and a network address, or ''mail:'' and the SHA-256 of an address.';
comment on column app_private.rate_limit_counters.window_started_at is 'Start of the current window; it ends after the rule''s period.';
comment on column app_private.rate_limit_counters.hits is 'Actions counted in the current window.';

create table app_private.rate_limit_overrides (
    action text primary key,
    max_hits integer not null check (max_hits >= 0),
    per interval not null check (per > interval '0')
);

comment on table app_private.rate_limit_overrides is 'Configuration: replaces the default rule of an action (at most max_hits per period per subject).';
comment on column app_private.rate_limit_overrides.max_hits is 'How many actions a subject may do per period.';
comment on column app_private.rate_limit_overrides.per is 'The period.';
