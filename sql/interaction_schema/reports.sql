-- Reports: a user reports another, with a
-- reason and optionally the call or message it is about; admins list the
-- reports, resolve them, and ban with user_schema.set_user_active.

create or replace function interaction_schema.report_user(user_id uuid, reason text, interaction_id uuid default null, message_id uuid default null)
returns interaction_schema.reports as $$
#variable_conflict use_variable
declare
    me uuid := app_private.require_other_user(user_id);
    report interaction_schema.reports;
begin
    perform app_private.rate_limit('report_user', app_private.user_subject(me));
    if not exists (select 1 from interaction_schema.interaction_logs l
                    where me in (l.user1_id, l.user2_id) and user_id in (l.user1_id, l.user2_id)) then
        raise exception 'You can only report someone you have been in a call with.' using errcode = 'RNMET';
    end if;
    if interaction_id is not null and not exists (
        select 1 from interaction_schema.interaction_logs l
         where l.id = interaction_id and me in (l.user1_id, l.user2_id) and user_id in (l.user1_id, l.user2_id)) then
        raise exception 'The call must be one between you and the reported user.' using errcode = 'RREFS';
    end if;
    if message_id is not null and not exists (
        select 1 from communication_schema.messages m
         where m.id = message_id and m.sender_user_id = user_id
           and me = any(app_private.room_participants(m.chat_room_id))) then
        raise exception 'The message must be one the reported user sent you.' using errcode = 'RREFS';
    end if;
    insert into interaction_schema.reports (reporter_user_id, reported_user_id, reason, interaction_log_id, message_id)
    values (me, user_id, btrim(reason), interaction_id, message_id)
    returning * into report;
    return report;
end;
$$ language plpgsql volatile security definer set search_path = pg_catalog, public;

comment on function interaction_schema.report_user(uuid, text, uuid, uuid) is
  'Reports a user you have been in a call with (so also any connection), with a reason (1-1000 characters), optionally pointing at a call with them or a message they sent you. At most 10 reports an hour.';

create or replace function interaction_schema.resolve_report(report_id uuid) returns interaction_schema.reports as $$
#variable_conflict use_variable
declare
    report interaction_schema.reports;
begin
    update interaction_schema.reports r
       set status = 'resolved', resolved_by_user_id = app_private.require_admin(), resolved_at = now()
     where r.id = report_id and r.status = 'open'
    returning * into report;
    if report.id is null then
        raise exception 'There is no open report with this id.' using errcode = 'RNORP';
    end if;
    return report;
end;
$$ language plpgsql volatile security definer set search_path = pg_catalog, public;

comment on function interaction_schema.resolve_report(uuid) is
  'Admin only: marks a report resolved (ban the reported user with setUserActive).';

comment on table interaction_schema.reports is E'@behavior -insert -update -delete\nA user reported another user, optionally pointing at a call or a message. Admins review them.';

-- Row-level security: reporters see their own reports; admins see all.
alter table interaction_schema.reports enable row level security;

drop policy if exists select_own on interaction_schema.reports;
create policy select_own on interaction_schema.reports for select to rtc_user
    using (reporter_user_id = (select app_private.current_user_id()));

drop policy if exists select_all_as_admin on interaction_schema.reports;
create policy select_all_as_admin on interaction_schema.reports for select to rtc_admin
    using (true);

-- Reporters do not learn which admin handled their report.
revoke select on interaction_schema.reports from rtc_user;
grant select (id, reporter_user_id, reported_user_id, reason, interaction_log_id, message_id, status, resolved_at, created_at)
    on interaction_schema.reports to rtc_user;
grant select on interaction_schema.reports to rtc_admin;
grant execute on function interaction_schema.report_user(uuid, text, uuid, uuid) to rtc_user;
grant execute on function interaction_schema.resolve_report(uuid) to rtc_admin;

-- Admins read the evidence a report points at: the reported message and
-- call, and nothing else of anyone's chats or calls.
grant usage on schema communication_schema to rtc_admin;

drop policy if exists select_reported_as_admin on communication_schema.messages;
create policy select_reported_as_admin on communication_schema.messages for select to rtc_admin
    using (exists (select 1 from interaction_schema.reports r where r.message_id = messages.id));
grant select on communication_schema.messages to rtc_admin;

drop policy if exists select_reported_as_admin on interaction_schema.interaction_logs;
create policy select_reported_as_admin on interaction_schema.interaction_logs for select to rtc_admin
    using (exists (select 1 from interaction_schema.reports r where r.interaction_log_id = interaction_logs.id));
grant select on interaction_schema.interaction_logs to rtc_admin;
