-- Who sees whom (DESIGN.md "Actors and access"): a user sees another user's
-- public profile only while matched with them (a live call, or one that
-- ended within the decision window) or connected to them, and never once
-- either has blocked the other.

create or replace function app_private.can_see_user(other_user_id uuid) returns boolean as $$
    with me as (select app_private.current_user_id() as id)
    select other_user_id = me.id
        or not exists (
            select 1 from interaction_schema.blocks b
             where (b.blocker_user_id, b.blocked_user_id) in ((me.id, other_user_id), (other_user_id, me.id))
        )
       and (exists (
            select 1
              from interaction_schema.interaction_logs l
             where ((l.user1_id = me.id and l.user2_id = other_user_id) or (l.user1_id = other_user_id and l.user2_id = me.id))
               and (l.ended_at is null or l.ended_at > now() - app_private.call_decision_window())
        )
        or exists (
            select 1
              from interaction_schema.connections c
             where c.user1_id = least(me.id, other_user_id)
               and c.user2_id = greatest(me.id, other_user_id)
               and c.is_active
        ))
      from me;
$$ language sql stable security definer set search_path = pg_catalog, public;

comment on function app_private.can_see_user(uuid) is
  'True when the current user is that user, or, unless either blocked the other, is in a call with them (live or within the decision window) or connected to them.';

grant execute on function app_private.can_see_user(uuid) to rtc_user;
