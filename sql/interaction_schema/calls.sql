-- Calls: join, signal, pass, end. A call is live while
-- ended_at is null. The database sets ended_at and duration_seconds
-- (interaction_logs.sql); the worker ends calls nobody joined in time or that
-- ran too long (timeout). A call ends at greatest(now(), started_at): now()
-- is when the transaction began, which may be before a call it waited for
-- was created.

--------------------------------------------------------------------------------
-- Helpers
--------------------------------------------------------------------------------

-- (The outcome was text before it became an enum.)
drop function if exists app_private.end_live_call(uuid, text);
-- Several calls are locked in id order (the lock order, participants.sql).
create or replace function app_private.end_live_calls(user_ids uuid[], outcome interaction_schema.call_outcome) returns integer as $$
declare
    call_ids uuid[];
    ended integer;
begin
    select array_agg(l.id) into call_ids from (
        select l.id from interaction_schema.interaction_logs l
         where l.id in (select p.interaction_id from app_private.live_call_participants p where p.user_id = any(user_ids))
         order by l.id
           for update) l;
    update interaction_schema.interaction_logs l
       set ended_at = greatest(now(), l.started_at),
           outcome = case when l.outcome = 'no_action' then end_live_calls.outcome else l.outcome end
     where l.id = any(call_ids) and l.ended_at is null;
    get diagnostics ended = row_count;
    return ended;
end;
$$ language plpgsql volatile security definer set search_path = pg_catalog, public;

comment on function app_private.end_live_calls(uuid[], interaction_schema.call_outcome) is
  'Ends the live calls of these users, if any, with that outcome (kept when already decided, e.g. female_connected). Returns how many.';

create or replace function app_private.end_live_call(user_id uuid, outcome interaction_schema.call_outcome) returns void as $$
begin
    perform app_private.end_live_calls(array[user_id], outcome);
end;
$$ language plpgsql volatile security definer set search_path = pg_catalog, public;

comment on function app_private.end_live_call(uuid, interaction_schema.call_outcome) is
  'Ends the user''s live call, if any, with that outcome (kept when already decided, e.g. female_connected).';

create or replace function app_private.call_of_participant(interaction_id uuid) returns interaction_schema.interaction_logs as $$
declare
    call interaction_schema.interaction_logs;
    me uuid := app_private.require_user_id();
begin
    select * into call from interaction_schema.interaction_logs l where l.id = interaction_id for update;
    if call.id is null or me not in (call.user1_id, call.user2_id) then
        raise exception 'You are not a participant of this call.' using errcode = 'RNOTP';
    end if;
    return call;
end;
$$ language plpgsql volatile security definer set search_path = pg_catalog, public;

comment on function app_private.call_of_participant(uuid) is
  'The call, locked, when the current user takes part in it; raises RNOTP otherwise (also for an unknown call).';

create or replace function app_private.assert_live(call interaction_schema.interaction_logs) returns void as $$
begin
    if call.ended_at is not null then
        raise exception 'This call has ended.' using errcode = 'RENDD';
    end if;
end;
$$ language plpgsql immutable;

comment on function app_private.assert_live(interaction_schema.interaction_logs) is
  'Raises RENDD when the call has ended.';

-- Ends every call past its join window (not joined by both) or its maximum
-- duration. Run by the worker task expire_calls, scheduled at each call's
-- deadlines and every minute as a safety net.
create or replace function app_private.expire_overdue_calls() returns integer as $$
declare
    overdue_ids uuid[];
    expired integer;
begin
    select array_agg(l.id) into overdue_ids from (
        select l.id from interaction_schema.interaction_logs l
         where l.ended_at is null
           and (l.started_at < now() - app_private.call_max_duration()
                or (l.started_at < now() - app_private.call_join_window()
                    and (l.user1_joined_at is null or l.user2_joined_at is null)))
         order by l.id
           for update) l;
    update interaction_schema.interaction_logs l
       set ended_at = greatest(now(), l.started_at),
           outcome = case when l.outcome = 'no_action' then 'timeout' else l.outcome end
     where l.id = any(overdue_ids) and l.ended_at is null;
    get diagnostics expired = row_count;
    return expired;
end;
$$ language plpgsql volatile set search_path = pg_catalog, public;

comment on function app_private.expire_overdue_calls() is
  'Ends (outcome timeout) the live calls not joined by both within the join window or older than the maximum duration. Returns how many.';

create or replace function app_private.schedule_call_deadlines() returns void as $$
    select app_private.add_job('expire_calls', run_at := now() + app_private.call_join_window() + interval '1 second');
    select app_private.add_job('expire_calls', run_at := now() + app_private.call_max_duration() + interval '1 second');
$$ language sql volatile;

comment on function app_private.schedule_call_deadlines() is
  'Queues expire_calls for just after the deadlines of a call starting now: its join window and its maximum duration.';

--------------------------------------------------------------------------------
-- What participants do
--------------------------------------------------------------------------------

create or replace function interaction_schema.join_call(interaction_id uuid) returns interaction_schema.interaction_logs as $$
declare
    call interaction_schema.interaction_logs := app_private.call_of_participant(interaction_id);
    me uuid := app_private.current_user_id();
begin
    perform app_private.assert_live(call);
    update interaction_schema.interaction_logs l
       set user1_joined_at = case when l.user1_id = me then coalesce(l.user1_joined_at, now()) else l.user1_joined_at end,
           user2_joined_at = case when l.user2_id = me then coalesce(l.user2_joined_at, now()) else l.user2_joined_at end
     where l.id = call.id
    returning * into call;
    -- The device that joins is in the call (a video call's callee was not
    -- yet), and nobody in a call is queuing.
    delete from interaction_schema.queue_entries where user_id = me;
    update user_schema.user_sessions set status = 'in-call' where id = app_private.current_session_id();
    return call;
end;
$$ language plpgsql volatile security definer set search_path = pg_catalog, public;

comment on function interaction_schema.join_call(uuid) is
  'Says that this participant has joined the call''s room from this device (now in-call). Both must join within 30 seconds of the call''s start, or it ends (timeout).';

create or replace function app_private.live_call_signal(signal interaction_schema.call_signals) returns jsonb as $$
    -- The id as text (GraphQL BigInt), times as the API prints them everywhere else.
    select to_jsonb(signal) || jsonb_build_object(
        'id', signal.id::text,
        'created_at', to_char(signal.created_at, 'YYYY-MM-DD"T"HH24:MI:SS.USTZH:TZM'));
$$ language sql stable;

comment on function app_private.live_call_signal(interaction_schema.call_signals) is
  'A call signal as a live event delivers it (GraphQL LiveCallSignal, src/server/plugins/live-rows.ts): its columns as JSON.';

grant execute on function app_private.live_call_signal(interaction_schema.call_signals) to rtc_user;

drop function if exists interaction_schema.send_call_signal(uuid, text, jsonb);
create or replace function interaction_schema.send_call_signal(interaction_id uuid, kind interaction_schema.call_signal_kind, payload jsonb)
returns interaction_schema.call_signals as $$
declare
    call interaction_schema.interaction_logs := app_private.call_of_participant(interaction_id);
    me uuid := app_private.current_user_id();
    signal interaction_schema.call_signals;
begin
    perform app_private.assert_live(call);
    if (select count(*) from interaction_schema.call_signals s where s.interaction_id = call.id and s.sender_user_id = me) >= 500 then
        raise exception 'Too many signals for one call.' using errcode = 'RSIGS';
    end if;
    insert into interaction_schema.call_signals (interaction_id, sender_user_id, kind, payload)
    values (call.id, me, kind, coalesce(payload, '{}'))
    returning * into signal;
    if kind = 'hangup' then
        -- The partner hears it as call_ended; the call's signals go with it.
        update interaction_schema.interaction_logs l set ended_at = greatest(now(), l.started_at) where l.id = call.id;
    else
        perform app_private.notify_user(
            app_private.other_of_pair(call.user1_id, call.user2_id, me),
            'call_signal',
            jsonb_build_object('interaction_id', call.id, 'signal_id', signal.id::text),
            jsonb_build_object('signal', app_private.live_call_signal(signal))
        );
    end if;
    return signal;
end;
$$ language plpgsql volatile security definer set search_path = pg_catalog, public;

comment on function interaction_schema.send_call_signal(uuid, interaction_schema.call_signal_kind, jsonb) is
  'Sends a WebRTC signal (offer, answer, ice or hangup; payload up to 64 KB; 500 per participant and call) to the other participant of a live call, delivered live and in order. A hangup ends the call. Signals are deleted when the call ends.';

create or replace function interaction_schema.end_call(interaction_id uuid) returns interaction_schema.interaction_logs as $$
declare
    call interaction_schema.interaction_logs := app_private.call_of_participant(interaction_id);
begin
    perform app_private.assert_live(call);
    update interaction_schema.interaction_logs l set ended_at = greatest(now(), l.started_at) where l.id = call.id returning * into call;
    return call;
end;
$$ language plpgsql volatile security definer set search_path = pg_catalog, public;

comment on function interaction_schema.end_call(uuid) is
  'Ends the call for both participants.';

create or replace function interaction_schema.skip_call(interaction_id uuid) returns interaction_schema.interaction_logs as $$
declare
    call interaction_schema.interaction_logs := app_private.call_of_participant(interaction_id);
    me uuid := app_private.current_user_id();
begin
    if call.ended_at < now() - app_private.call_decision_window() then
        raise exception 'The time to decide about this call has passed.' using errcode = 'RWIND';
    end if;
    update interaction_schema.interaction_logs l
       set user1_passed = l.user1_passed or l.user1_id = me,
           user2_passed = l.user2_passed or l.user2_id = me,
           ended_at = coalesce(l.ended_at, greatest(now(), l.started_at))
     where l.id = call.id
    returning * into call;
    if call.user1_passed and call.user2_passed and call.outcome = 'no_action' then
        update interaction_schema.interaction_logs set outcome = 'both_left' where id = call.id returning * into call;
    end if;
    return call;
end;
$$ language plpgsql volatile security definer set search_path = pg_catalog, public;

comment on function interaction_schema.skip_call(uuid) is
  'Passes on this person: ends the call if it is live. When both participants passed, the outcome is both_left.';

--------------------------------------------------------------------------------
-- What a client reads
--------------------------------------------------------------------------------

-- (Its type changed from profiles to public_profiles: drop the old one.)
drop function if exists interaction_schema.interaction_logs_partner_profile(interaction_schema.interaction_logs);
create function interaction_schema.interaction_logs_partner_profile(call interaction_schema.interaction_logs)
returns user_schema.public_profiles as $$
    select app_private.partner_profile(call.user1_id, call.user2_id);
$$ language sql stable;

comment on function interaction_schema.interaction_logs_partner_profile(interaction_schema.interaction_logs) is
  'The other participant''s public profile.';

create or replace function interaction_schema.interaction_logs_makes_offer(call interaction_schema.interaction_logs) returns boolean as $$
    select call.user1_id = app_private.current_user_id();
$$ language sql stable;

comment on function interaction_schema.interaction_logs_makes_offer(interaction_schema.interaction_logs) is
  'True when the current user sends the WebRTC offer (user1, the side the matchmaker chose); the other answers.';

grant execute on function
    interaction_schema.join_call(uuid),
    interaction_schema.send_call_signal(uuid, interaction_schema.call_signal_kind, jsonb),
    interaction_schema.end_call(uuid),
    interaction_schema.skip_call(uuid),
    interaction_schema.interaction_logs_partner_profile(interaction_schema.interaction_logs),
    interaction_schema.interaction_logs_makes_offer(interaction_schema.interaction_logs)
  to rtc_user;
