-- Mail is sent by the worker (task send_email, worker/tasks/send-email.ts).
-- The database queues it from inside the transaction that needs it, so a mail
-- goes out exactly when that transaction commits. The job names the user and
-- the template only: the one-time token is made when the mail is sent
-- (issue_email_token), so no raw token is ever stored, not even in the queue.

-- An address gets at most 5 mails of a template a day, the 2nd at least 1
-- minute after the 1st, then 3, 7 and 15 minutes after it (rate limit
-- 'mail'); a burst of requests makes one job (job key). Past that the request
-- is silently dropped: the caller's answer must not tell whether it mailed.
-- (The template was text before the names became app_private.mail_template.)
drop function if exists app_private.queue_email(uuid, text);
create or replace function app_private.queue_email(user_id uuid, template app_private.mail_template) returns void as $$
declare
    v_email text := (select u.email from user_schema.users u where u.id = queue_email.user_id);
begin
    if not app_private.rate_limit_allows('mail', 'mail:' || template || ':' || encode(digest(lower(v_email), 'sha256'), 'hex'),
                                         app_private.mail_resend_interval()) then
        return;
    end if;
    perform app_private.add_job('send_email', json_build_object('template', template, 'userId', user_id),
                                job_key := 'send_email:' || template || ':' || user_id::text);
end;
$$ language plpgsql volatile security definer set search_path = pg_catalog, public;

comment on function app_private.queue_email(uuid, app_private.mail_template) is
  'Queues a mail to the user: per template and address at most 5 a day, with a growing interval.';

-- (The earlier form carried the token in the job: drop it.)
drop function if exists app_private.queue_email(uuid, text, text);

create or replace function app_private.queue_email_verification(user_id uuid) returns void as $$
declare
    v_owner_id uuid := (select owner.id
                          from user_schema.users newcomer
                          join user_schema.users owner on lower(owner.email) = lower(newcomer.email) and owner.email_verified
                         where newcomer.id = queue_email_verification.user_id and owner.id <> newcomer.id);
begin
    if v_owner_id is null then
        perform app_private.queue_email(user_id, 'verify_email');
    else
        perform app_private.queue_email(v_owner_id, 'account_exists');
    end if;
end;
$$ language plpgsql volatile security definer set search_path = pg_catalog, public;

comment on function app_private.queue_email_verification(uuid) is
  'Mails the user a link verifying their address, unless another account has verified it: then that account''s owner is told that someone registered with it (mail account_exists), and nobody else learns that it has an account.';

drop function if exists app_private.issue_email_token(uuid, text);
create or replace function app_private.issue_email_token(user_id uuid, template app_private.mail_template)
returns table (email text, username text, token text) as $$
#variable_conflict use_column
declare
    new_token text := app_private.new_token();
begin
    if not exists (select 1 from user_schema.users u where u.id = issue_email_token.user_id and u.is_active) then
        return; -- the account is gone or deactivated: no mail
    end if;
    insert into app_private.user_secrets (user_id) values (issue_email_token.user_id) on conflict do nothing;
    case template
    when 'verify_email' then
        update app_private.user_secrets s
           set email_verification_token_hash = app_private.token_hash(new_token),
               email_verification_expires_at = now() + app_private.email_verification_lifetime()
         where s.user_id = issue_email_token.user_id;
    when 'password_reset' then
        -- Earlier links keep working until they expire or one is used.
        delete from app_private.password_reset_tokens t where t.user_id = issue_email_token.user_id and t.expires_at <= now();
        insert into app_private.password_reset_tokens (token_hash, user_id, expires_at)
        values (app_private.token_hash(new_token), issue_email_token.user_id, now() + app_private.password_reset_lifetime());
    when 'account_exists' then
        new_token := null; -- a notice, no link
    end case;
    return query
        select u.email::text, u.username::text, new_token from user_schema.users u where u.id = issue_email_token.user_id;
end;
$$ language plpgsql volatile set search_path = pg_catalog, public;

comment on function app_private.issue_email_token(uuid, app_private.mail_template) is
  'For the worker sending a mail: the address, the username and, for a mail with a link, a new one-time token (verification: 7 days, replacing the earlier one; reset: 1 hour, beside the earlier ones). No row when the account is gone or deactivated.';

-- (Replaced by queue_email + issue_email_token: drop it.)
drop function if exists app_private.send_email_verification(uuid);
