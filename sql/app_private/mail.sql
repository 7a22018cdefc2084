-- Mail is sent by the worker (task send_email, worker/tasks/send-email.ts).
-- The database only queues it, from inside the transaction that needs it, so
-- a mail goes out exactly when that transaction commits.

create or replace function app_private.queue_email(user_id uuid, template text, token text) returns void as $$
declare
    recipient user_schema.users;
begin
    select * into recipient from user_schema.users where id = queue_email.user_id;
    perform app_private.add_job(
        'send_email',
        json_build_object('template', template, 'to', recipient.email, 'username', recipient.username, 'token', token)
    );
end;
$$ language plpgsql volatile security definer set search_path = pg_catalog, public;

comment on function app_private.queue_email(uuid, text, text) is
  'Queues a mail (template verify_email or password_reset, with its one-time token) to the user''s address.';

create or replace function app_private.send_email_verification(user_id uuid) returns void as $$
declare
    token text := app_private.new_token();
begin
    insert into app_private.user_secrets (user_id) values (send_email_verification.user_id) on conflict do nothing;
    update app_private.user_secrets s
       set email_verification_token_hash = app_private.token_hash(token),
           email_verification_expires_at = now() + interval '7 days'
     where s.user_id = send_email_verification.user_id;
    perform app_private.queue_email(user_id, 'verify_email', token);
end;
$$ language plpgsql volatile security definer set search_path = pg_catalog, public;

comment on function app_private.send_email_verification(uuid) is
  'Issues a new email verification token (valid 7 days, replacing any earlier one) and mails it.';
