--! Previous: sha1:ff69663b33ddd6f41be10c329263c5c388a9efce
--! Hash: sha1:22e5ccd1caea23ac975e76da8550b8c09dc96d66
--! Message: sendMessage takes an optional client message id: a retried send stores one message

--------------------------------------------------------------------------------
-- A client that did not get the answer to a send (a dropped connection, a
-- timeout) sends again with the same client_message_id: the message is stored
-- once (send_message returns the stored one). Unique per sender; most sends
-- carry no key, and the partial index holds only those that do.
--------------------------------------------------------------------------------

alter table communication_schema.messages add column client_message_id uuid;

comment on column communication_schema.messages.client_message_id is
  'The id the sending client chose, so that a retried send stores one message (unique per sender).';

create unique index messages_sender_client_message_id_key on communication_schema.messages (sender_user_id, client_message_id)
  where client_message_id is not null;
