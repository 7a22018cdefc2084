--! Previous: sha1:22e5ccd1caea23ac975e76da8550b8c09dc96d66
--! Hash: sha1:8d412f1f5ad40e76f87c6bc7ae729739b41408e1
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
