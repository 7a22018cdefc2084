/**
 * The rows a live event carries: `LiveMessage` (roomEvents and userEvents)
 * and `LiveCallSignal` (userEvents). The database puts the row into the
 * event's notification when it fits (sql/app_private/notify.sql), having
 * decided at commit that the recipient may see it; the event then reaches the
 * subscriber without another query. A notification too big for its row
 * carries the id only, and the row is read again under the subscriber's own
 * row-level security. Each type's fields are the table's columns, under the
 * names its PostGraphile type gives them.
 */
import { access, type Step } from "postgraphile/grafast";
import { extendSchema, gql } from "postgraphile/utils";
import type { LiveEvent, ReadAsSubscriber } from "./live-events.ts";

/** One kind of carried row: where an event holds it and its id, how the database writes it as JSON, its GraphQL fields. */
interface CarriedRow {
  /** The event's key for the row, and for its id. */
  key: string;
  idKey: string;
  /** Reads one row, by id, as the SQL function the notification used writes it. */
  readById: string;
  /** GraphQL field -> JSON key. */
  fields: Record<string, string>;
}

const MESSAGE: CarriedRow = {
  key: "message",
  idKey: "message_id",
  readById: "select app_private.live_message(m) as row from communication_schema.messages m where m.id = $1",
  fields: {
    rowId: "id",
    chatRoomId: "chat_room_id",
    senderUserId: "sender_user_id",
    content: "content",
    messageType: "message_type",
    metadata: "metadata",
    isEdited: "is_edited",
    isDeleted: "is_deleted",
    createdAt: "created_at",
    updatedAt: "updated_at",
    clientMessageId: "client_message_id",
  },
};

const CALL_SIGNAL: CarriedRow = {
  key: "signal",
  idKey: "signal_id",
  readById: "select app_private.live_call_signal(s) as row from interaction_schema.call_signals s where s.id = $1",
  fields: { rowId: "id", interactionId: "interaction_id", senderUserId: "sender_user_id", kind: "kind", payload: "payload", createdAt: "created_at" },
};

const plansOf = (row: CarriedRow) =>
  Object.fromEntries(Object.entries(row.fields).map(([field, key]) => [field, ($row: Step) => access($row, key)]));

export const LiveRowsPlugin = extendSchema({
  typeDefs: gql`
    """
    A chat message as a live event delivers it: its columns when the event happened (the same
    fields as Message's columns). Query messages for its relations.
    """
    type LiveMessage {
      "The message's id (Message.rowId)."
      rowId: UUID!
      "The room."
      chatRoomId: UUID!
      "Who sent it."
      senderUserId: UUID!
      "The text (empty once deleted)."
      content: String!
      "text, image, video, voice or system."
      messageType: MessageType
      "Media details (url, etc.)."
      metadata: JSON
      "Edited after it was sent."
      isEdited: Boolean
      "Deleted by its sender."
      isDeleted: Boolean
      "When it was sent."
      createdAt: Datetime!
      "When it last changed."
      updatedAt: Datetime
      "The id the sending client chose for it, if any."
      clientMessageId: UUID
    }

    """
    A WebRTC signal as a live event delivers it (the same fields as CallSignal's columns): apply
    them in order of rowId.
    """
    type LiveCallSignal {
      "The signal's id (CallSignal.rowId): the order to apply signals in."
      rowId: BigInt!
      "The call."
      interactionId: UUID!
      "Who sent it."
      senderUserId: UUID!
      "offer, answer, ice or hangup."
      kind: CallSignalKind!
      "The WebRTC payload (SDP or ICE candidate)."
      payload: JSON!
      "When it was sent."
      createdAt: Datetime!
    }
  `,
  objects: {
    LiveMessage: { plans: plansOf(MESSAGE) },
    LiveCallSignal: { plans: plansOf(CALL_SIGNAL) },
  },
});

/** The event with its row: the one it carries, or else (a row too big for a notification) the row read as the subscriber, null if they may not see it. */
async function withRow(row: CarriedRow, event: LiveEvent, read: ReadAsSubscriber): Promise<LiveEvent> {
  const id = event[row.idKey];
  if (event[row.key] !== undefined || id === undefined || id === null) return event;
  const rows = await read<{ row: unknown }>(row.readById, [id]);
  return { ...event, [row.key]: rows[0]?.row ?? null };
}

export const withMessage = (event: LiveEvent, read: ReadAsSubscriber) => withRow(MESSAGE, event, read);
export const withCallSignal = (event: LiveEvent, read: ReadAsSubscriber) => withRow(CALL_SIGNAL, event, read);
