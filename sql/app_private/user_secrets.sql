-- app_private.user_secrets: no API role may touch it.

alter table app_private.user_secrets enable row level security;
