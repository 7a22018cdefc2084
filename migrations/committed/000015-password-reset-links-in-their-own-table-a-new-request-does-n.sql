--! Previous: sha1:bbc301bb982805cc695b03befc2c215a44a22e4c
--! Hash: sha1:bb4af29ff46e510a21b1f96af098e85f931cb901
--! Message: Password reset links in their own table: a new request does not void a pending link

--------------------------------------------------------------------------------
-- Password reset links: one row per link, so that asking for a new link does
-- not void one already mailed (anyone who knows an address could otherwise
-- keep its owner's links from ever working). Using one ends them all.
--------------------------------------------------------------------------------

create table app_private.password_reset_tokens (
    token_hash bytea primary key,
    user_id uuid not null references user_schema.users (id) on delete cascade,
    expires_at timestamptz not null
);

create index password_reset_tokens_user_id on app_private.password_reset_tokens (user_id);

comment on table app_private.password_reset_tokens is 'The password reset links mailed and not yet used: the SHA-256 of each token.';
comment on column app_private.password_reset_tokens.token_hash is 'SHA-256 of the token in the link.';
comment on column app_private.password_reset_tokens.expires_at is 'The link works until then.';

alter table app_private.user_secrets
    drop column password_reset_token_hash,
    drop column password_reset_expires_at;
