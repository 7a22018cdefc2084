--! Previous: sha1:abeb392c4b2f92452b6d4abc644ac1d528e0f4d1
--! Hash: sha1:36bb49c8eb5df8e601ac0d3cb0ed51cef7c72131
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
