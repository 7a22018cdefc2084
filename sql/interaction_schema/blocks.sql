-- Blocks: the pair is never matched
-- again, any connection between them ends, and a live call between them ends.
-- A block is visible to the blocker only.

create or replace function interaction_schema.block_user(user_id uuid) returns interaction_schema.blocks as $$
#variable_conflict use_variable
declare
    me uuid := app_private.require_other_user(user_id);
    block interaction_schema.blocks;
begin
    perform app_private.lock_pair(me, user_id);
    insert into interaction_schema.blocks (blocker_user_id, blocked_user_id) values (me, user_id)
    on conflict (blocker_user_id, blocked_user_id) do update set created_at = interaction_schema.blocks.created_at
    returning * into block;

    perform app_private.end_connection_between(me, user_id);
    return block;
end;
$$ language plpgsql volatile security definer set search_path = pg_catalog, public;

comment on function interaction_schema.block_user(uuid) is
  'Blocks a user: never matched again; any connection (and its chat), live call or pending video request between you ends. Blocking twice changes nothing.';

comment on table interaction_schema.blocks is E'@behavior -insert -update -delete\nA user blocked another: the pair is never matched again and any connection between them ends. Visible to the blocker only.';

alter table interaction_schema.blocks enable row level security;

drop policy if exists select_own on interaction_schema.blocks;
create policy select_own on interaction_schema.blocks for select to rtc_user
    using (blocker_user_id = (select app_private.current_user_id()));

grant select on interaction_schema.blocks to rtc_user;
grant execute on function interaction_schema.block_user(uuid) to rtc_user;
