--! Previous: sha1:3b042b154ab3a127d3fd86c3c776110a85dc61b6
--! Hash: sha1:bbc301bb982805cc695b03befc2c215a44a22e4c
--! Message: messages.created_at is not null: history pages by one tuple comparison on the index

--------------------------------------------------------------------------------
-- A message always has its creation time (the column's default). Saying so
-- lets the API page the history by the cursor (created_at, id) as one tuple
-- comparison, an index condition of idx_messages_room_created_desc; with a
-- nullable created_at it spelled the cursor as ORs with null tests, and a
-- page deep in a long history read every newer message of the room first.
--------------------------------------------------------------------------------

update communication_schema.messages set created_at = coalesce(created_at, updated_at, now()) where created_at is null;
alter table communication_schema.messages alter column created_at set not null;
