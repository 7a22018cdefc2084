-- The seed's business-logic helpers. They read other users' rows, so they
-- run as their owner (security definer) and give the same answer whatever
-- row-level security would let the caller see. EXECUTE is not granted to the
-- API roles.

create or replace function public.get_connection_partner(input_user_id uuid, input_connection_id uuid)
returns uuid as $$
    select case
               when c.user1_id = input_user_id then c.user2_id
               when c.user2_id = input_user_id then c.user1_id
           end
      from interaction_schema.connections c
     where c.id = input_connection_id
       and input_user_id in (c.user1_id, c.user2_id)
       and c.is_active = true;
$$ language sql stable security definer set search_path = pg_catalog, public;

comment on function public.get_connection_partner(uuid, uuid) is
  'The other participant of an active connection, or null when the user is not in it or it is inactive.';

create or replace function public.is_female_user(input_user_id uuid)
returns boolean as $$
    select u.role = 'female' from user_schema.users u where u.id = input_user_id;
$$ language sql stable security definer set search_path = pg_catalog, public;

comment on function public.is_female_user(uuid) is
  'True when the user''s role is female; null for an unknown user.';
