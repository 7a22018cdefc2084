-- interaction_schema.connections: triggers and access.

create or replace trigger update_connections_timestamp
    before update on interaction_schema.connections
    for each row execute function public.update_timestamp();

-- Seed defect 2: store each pair in one order, so that the UNIQUE constraint
-- on (user1_id, user2_id) holds whichever order the pair is given in.
create or replace function app_private.tg_connections__canonical_pair()
returns trigger as $$
declare
    first_id uuid := least(new.user1_id, new.user2_id);
    second_id uuid := greatest(new.user1_id, new.user2_id);
begin
    new.user1_id := first_id;
    new.user2_id := second_id;
    return new;
end;
$$ language plpgsql;

comment on function app_private.tg_connections__canonical_pair() is
  'Trigger: orders a connection''s pair so that user1_id < user2_id.';

-- A connection comes from a call between the same two users.
create or replace function app_private.tg_connections__matches_its_call()
returns trigger as $$
declare
    call_first_id uuid;
    call_second_id uuid;
begin
    select least(l.user1_id, l.user2_id), greatest(l.user1_id, l.user2_id)
      into call_first_id, call_second_id
      from interaction_schema.interaction_logs l
     where l.id = new.interaction_log_id;
    -- (an unknown call is left to the foreign key)
    if found and (call_first_id, call_second_id) <> (new.user1_id, new.user2_id) then
        raise exception 'A connection must come from a call between the same two users.'
            using errcode = 'RCONN';
    end if;
    return new;
end;
$$ language plpgsql security definer set search_path = pg_catalog, public;

comment on function app_private.tg_connections__matches_its_call() is
  'Trigger: the connection''s call (interaction_log_id) must be between the connection''s two users.';

-- Triggers of one event fire in name order: sort the pair first.
create or replace trigger connections_1_canonical_pair
    before insert or update of user1_id, user2_id on interaction_schema.connections
    for each row execute function app_private.tg_connections__canonical_pair();

create or replace trigger connections_2_female_participant
    before insert or update of user1_id, user2_id, female_user_id on interaction_schema.connections
    for each row execute function app_private.tg__check_female_participant();

create or replace trigger connections_3_matches_its_call
    before insert or update of user1_id, user2_id, interaction_log_id on interaction_schema.connections
    for each row execute function app_private.tg_connections__matches_its_call();

alter table interaction_schema.connections enable row level security;
