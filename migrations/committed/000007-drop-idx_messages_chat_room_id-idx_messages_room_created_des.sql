--! Previous: sha1:652b105a0c889083e4ecafc5cf64aca541cc17b6
--! Hash: sha1:86dae83ddefd2d430d148d26d59b13c8398af739
--! Message: Drop idx_messages_chat_room_id: idx_messages_room_created_desc leads with the same column

--------------------------------------------------------------------------------
-- Every message written paid for idx_messages_chat_room_id, which repeats the
-- leading column of idx_messages_room_created_desc (chat_room_id, created_at
-- DESC, id DESC): that index serves every look-up by room alone too.
--------------------------------------------------------------------------------

drop index communication_schema.idx_messages_chat_room_id;
