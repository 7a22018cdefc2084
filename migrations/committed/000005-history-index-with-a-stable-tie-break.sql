--! Previous: sha1:66874b40b0c018220181415203befec4608748cf
--! Hash: sha1:adf91998faf8ad41ebaf6898e6101691965f5923
--! Message: History index with a stable tie-break

--------------------------------------------------------------------------------
-- Chat history pages newest first by cursor (created_at, id). The seed's
-- (chat_room_id, created_at DESC) index gains id DESC as its tie-break, so a
-- cursor condition (created_at, id) < (x, y) is an index condition and a page
-- of a 100,000-message room reads just its rows.
--------------------------------------------------------------------------------

drop index communication_schema.idx_messages_room_created_desc;
create index idx_messages_room_created_desc on communication_schema.messages (chat_room_id, created_at desc, id desc);
