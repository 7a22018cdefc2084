-- interaction_schema.video_requests: triggers and access.

-- The approver is always the connection's female participant
-- (filled in when not given) and the requester is the other, male, one.
create or replace function app_private.tg_video_requests__participants()
returns trigger as $$
declare
    conn interaction_schema.connections;
begin
    select * into conn from interaction_schema.connections where id = new.connection_id;
    if not found then
        return new; -- the foreign key refuses an unknown connection
    end if;
    new.approver_user_id := coalesce(new.approver_user_id, conn.female_user_id);
    if new.approver_user_id <> conn.female_user_id then
        raise exception 'The approver of a video request must be the connection''s female participant.'
            using errcode = 'RVAPR';
    end if;
    if new.requester_user_id not in (conn.user1_id, conn.user2_id)
       or new.requester_user_id = conn.female_user_id then
        raise exception 'Only the connection''s male participant can request video.'
            using errcode = 'RVREQ';
    end if;
    return new;
end;
$$ language plpgsql security definer set search_path = pg_catalog, public;

comment on function app_private.tg_video_requests__participants() is
  'Trigger: the approver must be the connection''s female participant and the requester its male participant.';

create or replace trigger video_requests_participants
    before insert or update of connection_id, requester_user_id, approver_user_id on interaction_schema.video_requests
    for each row execute function app_private.tg_video_requests__participants();

comment on table interaction_schema.video_requests is E'@behavior -insert -update -delete\nA request by the male side of a connection to enable video; only the female side can approve it.';

-- Row-level security: both sides of the connection read its requests.
alter table interaction_schema.video_requests enable row level security;

drop policy if exists select_own on interaction_schema.video_requests;
create policy select_own on interaction_schema.video_requests for select to rtc_user
    using ((select app_private.current_user_id()) in (requester_user_id, approver_user_id));

grant select on interaction_schema.video_requests to rtc_user;
