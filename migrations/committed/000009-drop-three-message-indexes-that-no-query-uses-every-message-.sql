--! Previous: sha1:60e10086488052c6db499fee14b1a61b076f930b
--! Hash: sha1:a2c5d87cd197b005ee8e191bdc9aeafb42eb6749
--! Message: Drop three message indexes that no query uses: every message paid for them

--------------------------------------------------------------------------------
-- Every message written pays for each index of the messages table; three of
-- the seed's serve no query:
-- - idx_messages_chat_room_id repeats the leading column of
--   idx_messages_room_created_desc (chat_room_id, created_at DESC, id DESC),
--   which serves every look-up by room alone too;
-- - idx_messages_created_at: nothing reads messages by time across rooms (a
--   room's history is idx_messages_room_created_desc); worse, once row-level
--   security asks "my rooms" once per statement, the planner could take it
--   for a deep history page and read thousands of other rows;
-- - idx_messages_type: five values, never searched by type.
--------------------------------------------------------------------------------

drop index communication_schema.idx_messages_chat_room_id;
drop index communication_schema.idx_messages_created_at;
drop index communication_schema.idx_messages_type;
