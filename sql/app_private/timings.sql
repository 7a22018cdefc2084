-- The product's time rules (calls, sessions and presence, the queue) in one
-- place. Change them here.

create or replace function app_private.call_join_window() returns interval as $$
    select interval '30 seconds';
$$ language sql immutable;
comment on function app_private.call_join_window() is
  'A call that both participants have not joined within this time is ended (outcome timeout).';

create or replace function app_private.call_max_duration() returns interval as $$
    select interval '30 minutes';
$$ language sql immutable;
comment on function app_private.call_max_duration() is
  'A call still live after this long is ended (outcome timeout).';

create or replace function app_private.call_decision_window() returns interval as $$
    select interval '10 minutes';
$$ language sql immutable;
comment on function app_private.call_decision_window() is
  'How long after a call its female participant may still connect (and both still see each other''s profile).';

create or replace function app_private.presence_timeout() returns interval as $$
    select interval '45 seconds';
$$ language sql immutable;
comment on function app_private.presence_timeout() is
  'A device that has not sent a heartbeat for this long is set offline by the presence sweep.';

create or replace function app_private.rematch_cooldown() returns interval as $$
    select interval '24 hours';
$$ language sql immutable;
comment on function app_private.rematch_cooldown() is
  'Two users are not matched again within this time of their last call.';

create or replace function app_private.email_verification_lifetime() returns interval as $$
    select interval '7 days';
$$ language sql immutable;
comment on function app_private.email_verification_lifetime() is
  'How long an email verification link works.';

create or replace function app_private.password_reset_lifetime() returns interval as $$
    select interval '1 hour';
$$ language sql immutable;
comment on function app_private.password_reset_lifetime() is
  'How long a password reset link works.';

create or replace function app_private.mail_resend_interval() returns interval as $$
    select interval '1 minute';
$$ language sql immutable;
comment on function app_private.mail_resend_interval() is
  'The 2nd mail of a template to an address waits this long after the 1st; the next ones 3, 7 and 15 times as long (rate limit mail).';

create or replace function app_private.video_request_cooldown() returns interval as $$
    select interval '24 hours';
$$ language sql immutable;
comment on function app_private.video_request_cooldown() is
  'After she declines a video request, the next one on that connection waits this long.';

create or replace function app_private.call_socket_grace() returns interval as $$
    select coalesce(nullif(current_setting('rtc.call_socket_grace', true), '')::interval, interval '15 seconds');
$$ language sql stable;
comment on function app_private.call_socket_grace() is
  'A call ends (outcome timeout) when a participant''s in-call device has had no websocket open for this long. Default 15 seconds; a database setting changes it: alter database ... set rtc.call_socket_grace = ''10 seconds''.';

create or replace function app_private.presence_sweep_interval() returns interval as $$
    select interval '5 seconds';
$$ language sql immutable;
comment on function app_private.presence_sweep_interval() is
  'How often the presence sweep runs (it schedules its next run), so a lost device is noticed within presence_timeout plus this.';
