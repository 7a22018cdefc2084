-- update_timestamp(): the seed's trigger function that keeps updated_at
-- current. Each table's file in sql/ attaches it.

create or replace function public.update_timestamp()
returns trigger as $$
begin
    new.updated_at = current_timestamp;
    return new;
end;
$$ language plpgsql;

comment on function public.update_timestamp() is
  'Trigger function: sets updated_at to the current time on every update.';
