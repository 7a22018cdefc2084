-- Blocks (DESIGN.md "Safety and moderation"): the pair is never matched
-- again, any connection between them ends, and a live call between them ends.
-- A block is visible to the blocker only.

create or replace function interaction_schema.block_user(user_id uuid) returns interaction_schema.blocks as $$
#variable_conflict use_variable
declare
    me uuid := app_private.require_user_id();
    block interaction_schema.blocks;
begin
    if user_id = me then
        raise exception 'You cannot block yourself.' using errcode = 'RSELF';
    end if;
    if not exists (select 1 from user_schema.users u where u.id = user_id) then
        raise exception 'There is no such user.' using errcode = 'RNOUS';
    end if;
    perform app_private.lock_pair(me, user_id);
    insert into interaction_schema.blocks (blocker_user_id, blocked_user_id) values (me, user_id)
    on conflict (blocker_user_id, blocked_user_id) do update set created_at = interaction_schema.blocks.created_at
    returning * into block;

    update interaction_schema.connections c set is_active = false
     where c.user1_id = least(me, user_id) and c.user2_id = greatest(me, user_id) and c.is_active;
    if found then
        perform app_private.notify_user(participant, 'unmatched',
            jsonb_build_object('connection_id', (select c.id from interaction_schema.connections c
                                                  where c.user1_id = least(me, user_id) and c.user2_id = greatest(me, user_id))))
           from unnest(array[me, user_id]) as participant;
    end if;
    update communication_schema.chat_rooms r set is_active = false
      from interaction_schema.connections c
     where r.connection_id = c.id and c.user1_id = least(me, user_id) and c.user2_id = greatest(me, user_id) and r.is_active;
    update interaction_schema.interaction_logs l set ended_at = now()
     where l.ended_at is null
       and ((l.user1_id = me and l.user2_id = user_id) or (l.user1_id = user_id and l.user2_id = me));
    return block;
end;
$$ language plpgsql volatile security definer set search_path = pg_catalog, public;

comment on function interaction_schema.block_user(uuid) is
  'Blocks a user: never matched again, any connection (and its chat) and any live call between you end. Blocking twice changes nothing.';

comment on table interaction_schema.blocks is E'@behavior -insert -update -delete\nA user blocked another: the pair is never matched again and any connection between them ends. Visible to the blocker only.';

alter table interaction_schema.blocks enable row level security;

drop policy if exists select_own on interaction_schema.blocks;
create policy select_own on interaction_schema.blocks for select to rtc_user
    using (blocker_user_id = (select app_private.current_user_id()));

grant select on interaction_schema.blocks to rtc_user;
grant execute on function interaction_schema.block_user(uuid) to rtc_user;
