-- interaction_schema.call_signals: access. Signals are sent with
-- send_call_signal (calls.sql); participants of the call read them.

comment on table interaction_schema.call_signals is E'@behavior -insert -update -delete\nA signaling message from one participant of a call to the other, delivered live and in order (by id).';

alter table interaction_schema.call_signals enable row level security;

drop policy if exists select_own_calls on interaction_schema.call_signals;
create policy select_own_calls on interaction_schema.call_signals for select to rtc_user
    using (exists (
        select 1 from interaction_schema.interaction_logs l
         where l.id = interaction_id and (select app_private.current_user_id()) in (l.user1_id, l.user2_id)));

grant select on interaction_schema.call_signals to rtc_user;

