-- interaction_schema.interaction_logs: triggers and access.

create or replace trigger interaction_logs_female_participant
    before insert or update of user1_id, user2_id, female_user_id on interaction_schema.interaction_logs
    for each row execute function app_private.tg__check_female_participant();

-- duration_seconds is the database's, never the client's.
create or replace function app_private.tg_interaction_logs__set_duration()
returns trigger as $$
begin
    new.duration_seconds := case
        when new.ended_at is null then 0
        else greatest(0, floor(extract(epoch from new.ended_at - new.started_at)))::integer
    end;
    return new;
end;
$$ language plpgsql;

comment on function app_private.tg_interaction_logs__set_duration() is
  'Trigger: computes duration_seconds from started_at and ended_at (0 while live).';

create or replace trigger interaction_logs_set_duration
    before insert or update on interaction_schema.interaction_logs
    for each row execute function app_private.tg_interaction_logs__set_duration();

-- One live call per user: the primary key of live_call_participants refuses a
-- second one, whatever the path that created it.
create or replace function app_private.tg_interaction_logs__track_live()
returns trigger as $$
begin
    if tg_op = 'INSERT' and new.ended_at is null then
        insert into app_private.live_call_participants (user_id, interaction_id)
        values (new.user1_id, new.id), (new.user2_id, new.id);
    elsif tg_op = 'UPDATE' and old.ended_at is null and new.ended_at is not null then
        delete from app_private.live_call_participants where interaction_id = new.id;
        -- Signals (SDP and ICE: network addresses) are only for the live call.
        delete from interaction_schema.call_signals where interaction_id = new.id;
        update user_schema.user_sessions set status = 'online'
         where user_id in (new.user1_id, new.user2_id) and status = 'in-call';
        perform app_private.notify_users(array[new.user1_id, new.user2_id], 'call_ended', jsonb_build_object('interaction_id', new.id));
    end if;
    return null;
end;
$$ language plpgsql security definer set search_path = pg_catalog, public;

comment on function app_private.tg_interaction_logs__track_live() is
  'Trigger: keeps live_call_participants in step with live calls; when a call ends, its signals are deleted, its devices go back online and both users hear of it.';

create or replace trigger interaction_logs_track_live
    after insert or update of ended_at on interaction_schema.interaction_logs
    for each row execute function app_private.tg_interaction_logs__track_live();

-- Row-level security: participants read their calls. Every change goes
-- through the functions of calls.sql, matching.sql and connections.sql.
grant usage on schema interaction_schema to rtc_user, rtc_admin;

comment on table interaction_schema.interaction_logs is E'@behavior -insert -update -delete\nOne call between a male and a female user: a random voice call made by the matchmaker, or a video call between connected users.';

alter table interaction_schema.interaction_logs enable row level security;

drop policy if exists select_own on interaction_schema.interaction_logs;
create policy select_own on interaction_schema.interaction_logs for select to rtc_user
    using ((select app_private.current_user_id()) in (user1_id, user2_id));

-- Every column: computed columns (partner_profile, makes_offer) take the whole row.
grant select on interaction_schema.interaction_logs to rtc_user;

