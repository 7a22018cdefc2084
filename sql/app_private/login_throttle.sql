-- Log-in throttling: after 5 failures within 15 minutes, log-in is refused
-- for 15 minutes (RLOCK). changePassword and deleteAccount count against the
-- same subject (the account). The subject is the
-- account, or the name tried when it matches none: an unknown name is
-- throttled exactly like a known one, so the lock tells nothing about
-- whether an account exists.

create or replace function app_private.login_throttle_window() returns interval as $$
    select interval '15 minutes';
$$ language sql immutable;

comment on function app_private.login_throttle_window() is
  'Failures count within this window; a lock lasts this long.';

create or replace function app_private.login_subject(account_id uuid, username_or_email text) returns text as $$
    select case
               when account_id is not null then 'user:' || account_id::text
               else 'name:' || encode(digest(lower(coalesce(username_or_email, '')), 'sha256'), 'hex')
           end;
$$ language sql immutable set search_path = pg_catalog, public;

comment on function app_private.login_subject(uuid, text) is
  'What log-in failures are counted against: the account, or the (hashed) name when it matches no account.';

-- (Replaced by lock_login_subject, which also serialises the attempts.)
drop function if exists app_private.assert_login_allowed(text);

create or replace function app_private.lock_login_subject(p_subject text) returns void as $$
declare
    v_until timestamptz;
begin
    -- Concurrent attempts on one subject take turns, in the order they
    -- arrive: they queue on an advisory lock (the lock manager's queue is
    -- first come, first served), held until the transaction ends. The row
    -- lock alone would not keep the order: each of its waiters retries the
    -- upsert when the holder commits, and a later attempt, a right password
    -- among them, may overtake and reset the count.
    perform pg_advisory_xact_lock(hashtextextended('login:' || p_subject, 0));
    insert into app_private.login_throttles as t (subject) values (p_subject)
    on conflict on constraint login_throttles_pkey do update set subject = excluded.subject
    returning t.locked_until into v_until;
    if v_until > now() then
        raise exception 'Too many failed log-in attempts. Try again in % minutes.', ceil(extract(epoch from v_until - now()) / 60)
            using errcode = 'RLOCK', detail = ceil(extract(epoch from v_until - now()))::text;
    end if;
end;
$$ language plpgsql volatile;

comment on function app_private.lock_login_subject(text) is
  'Takes the subject''s turn (attempts queue in arrival order) and its throttle row until the transaction ends, before the password is checked; raises RLOCK while the subject is locked.';

create or replace function app_private.record_login_failure(subject text) returns void as $$
declare
    failures integer;
begin
    insert into app_private.login_throttles as t (subject, failed_attempts, first_failed_at)
    values (record_login_failure.subject, 1, now())
    on conflict on constraint login_throttles_pkey do update
       set failed_attempts = case when t.first_failed_at > now() - app_private.login_throttle_window() then t.failed_attempts + 1 else 1 end,
           first_failed_at = case when t.first_failed_at > now() - app_private.login_throttle_window() then t.first_failed_at else now() end
    returning t.failed_attempts into failures;
    if failures >= 5 then
        update app_private.login_throttles t
           set locked_until = now() + app_private.login_throttle_window(), failed_attempts = 0, first_failed_at = null
         where t.subject = record_login_failure.subject;
    end if;
end;
$$ language plpgsql volatile;

comment on function app_private.record_login_failure(text) is
  'Counts a failed log-in; the 5th within 15 minutes locks the subject for 15 minutes.';

create or replace function app_private.clear_login_failures(subject text) returns void as $$
    delete from app_private.login_throttles t where t.subject = clear_login_failures.subject;
$$ language sql volatile;

comment on function app_private.clear_login_failures(text) is
  'Forgets the subject''s failures and lock (after a successful log-in or a password reset).';

create or replace function app_private.cleanup_login_throttles() returns void as $$
    delete from app_private.login_throttles t
     where coalesce(t.locked_until, t.first_failed_at + app_private.login_throttle_window()) < now();
$$ language sql volatile;

comment on function app_private.cleanup_login_throttles() is
  'Deletes the throttles whose window and lock have both passed (run with the session clean-up).';
