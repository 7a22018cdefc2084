-- What a client needs to know about its live call without replaying events:
-- the call itself (Query.currentCall) and its deadlines. The partner's public
-- profile and who makes the offer are InteractionLog fields (calls.sql).

create or replace function interaction_schema.current_call() returns interaction_schema.interaction_logs as $$
    select l.*
      from app_private.live_call_participants p
      join interaction_schema.interaction_logs l on l.id = p.interaction_id
     where p.user_id = app_private.current_user_id();
$$ language sql stable security definer set search_path = pg_catalog, public;

comment on function interaction_schema.current_call() is
  'Your live call (voice or video), or null: with the partner''s public profile, whether you make the WebRTC offer, and its deadlines.';

create or replace function interaction_schema.interaction_logs_join_deadline(call interaction_schema.interaction_logs) returns timestamptz as $$
    select call.started_at + app_private.call_join_window();
$$ language sql stable security definer set search_path = pg_catalog, public;

comment on function interaction_schema.interaction_logs_join_deadline(interaction_schema.interaction_logs) is
  'Both participants must have joined (joinCall) by then, or the call ends (outcome timeout).';

create or replace function interaction_schema.interaction_logs_end_deadline(call interaction_schema.interaction_logs) returns timestamptz as $$
    select call.started_at + app_private.call_max_duration();
$$ language sql stable security definer set search_path = pg_catalog, public;

comment on function interaction_schema.interaction_logs_end_deadline(interaction_schema.interaction_logs) is
  'A call still live then is ended (outcome timeout).';

create or replace function interaction_schema.interaction_logs_decision_deadline(call interaction_schema.interaction_logs) returns timestamptz as $$
    select call.ended_at + app_private.call_decision_window();
$$ language sql stable security definer set search_path = pg_catalog, public;

comment on function interaction_schema.interaction_logs_decision_deadline(interaction_schema.interaction_logs) is
  'Until when she can connect and either side can skip: 10 minutes after the call ended (null while it is live: until then, too).';

grant execute on function
    interaction_schema.current_call(),
    interaction_schema.interaction_logs_join_deadline(interaction_schema.interaction_logs),
    interaction_schema.interaction_logs_end_deadline(interaction_schema.interaction_logs),
    interaction_schema.interaction_logs_decision_deadline(interaction_schema.interaction_logs)
  to rtc_user;
