--! Previous: sha1:d8d780ab4b57d69e780e280a4988618b32214d34
--! Hash: sha1:a39938e79b5488e1476436d17c7d1bd6b40d1e92
--! Message: Drop idx_messages_chat_room_id: idx_messages_room_created_desc leads with the same column

--------------------------------------------------------------------------------
-- Every message written paid for idx_messages_chat_room_id, which repeats the
-- leading column of idx_messages_room_created_desc (chat_room_id, created_at
-- DESC, id DESC): that index serves every look-up by room alone too.
--------------------------------------------------------------------------------

drop index communication_schema.idx_messages_chat_room_id;
