-- Who sees whom: a user sees another user's
-- public profile only while matched with them (a live call, or one that
-- ended within the decision window) or connected to them, and never once
-- either has blocked the other. Computed from the user's own calls and
-- connections (indexed), never by testing every profile.

create or replace function app_private.visible_user_ids() returns setof uuid as $$
    with me as (select app_private.current_user_id() as id),
    partners as (
        select app_private.other_of_pair(l.user1_id, l.user2_id, me.id) as user_id
          from interaction_schema.interaction_logs l, me
         where (l.user1_id = me.id or l.user2_id = me.id)
           and (l.ended_at is null or l.ended_at > now() - app_private.call_decision_window())
        union
        select app_private.other_of_pair(c.user1_id, c.user2_id, me.id)
          from interaction_schema.connections c, me
         where (c.user1_id = me.id or c.user2_id = me.id) and c.is_active
    )
    select me.id from me where me.id is not null
    union
    select p.user_id
      from partners p, me
     where not exists (
        select 1 from interaction_schema.blocks b
         where (b.blocker_user_id, b.blocked_user_id) in ((me.id, p.user_id), (p.user_id, me.id)));
$$ language sql stable security definer set search_path = pg_catalog, public;

comment on function app_private.visible_user_ids() is
  'The users whose public profile the current user sees: themselves, and, unless either blocked the other, those they are in a call with (live or within the decision window) or connected to.';

grant execute on function app_private.visible_user_ids() to rtc_user;
