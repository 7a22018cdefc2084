--! Previous: sha1:36bb49c8eb5df8e601ac0d3cb0ed51cef7c72131
--! Hash: sha1:693d5e40e1b654dbbc2053fb715bc5c971eaeffa
--! Message: An address is unique among the accounts that verified it, so registering does not tell whether it has an account; mail templates are an enum

--------------------------------------------------------------------------------
-- Registering does not tell whether an address has an account. An address is
-- unique among the accounts that verified it; an account that has not (yet)
-- verified its address may share it, so registering with an address that
-- already has an account succeeds like any other registration (the owner of
-- the address is mailed instead of the newcomer). Log-in by email takes the
-- verified account only.
--------------------------------------------------------------------------------

alter table user_schema.users drop constraint users_email_key;
drop index user_schema.users_email_lower_key;

create unique index users_verified_email_key on user_schema.users (lower(email)) where email_verified;
create index users_email_lower on user_schema.users (lower(email));

comment on index user_schema.users_verified_email_key is 'At most one account verified an address (ignoring case); log-in by email finds it.';
comment on index user_schema.users_email_lower is 'Accounts by address, ignoring case (registering, resetting a password).';

--------------------------------------------------------------------------------
-- The mails the product sends, by name: the database queues them, the worker
-- renders each name (a test checks that it renders every one).
--------------------------------------------------------------------------------

create type app_private.mail_template as enum ('verify_email', 'password_reset', 'account_exists');

comment on type app_private.mail_template is
  'A mail the product sends: verify_email (a link confirming the address), password_reset (a link setting a new password), account_exists (someone registered with an address that already has an account).';
