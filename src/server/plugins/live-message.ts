/**
 * `LiveMessage`: a chat message as a live event delivers it. The database
 * puts the message row into the event's notification when it fits
 * (app_private.notify_room, sql/communication_schema/chat.sql), having
 * decided at commit that the recipient may see it; the event then reaches
 * the subscriber without another query. A notification too big for its row
 * carries the id only, and the row is read again under the subscriber's own
 * row-level security. The fields are Message's columns, under the same names.
 */
import { access, type Step } from "postgraphile/grafast";
import { extendSchema, gql } from "postgraphile/utils";
import type { LiveEvent, ReadAsSubscriber } from "./live-events.ts";

/** The columns of communication_schema.messages, by GraphQL field name. */
const COLUMNS = {
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
} as const;

export const LiveMessagePlugin = extendSchema({
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
  `,
  objects: {
    LiveMessage: {
      plans: Object.fromEntries(Object.entries(COLUMNS).map(([field, column]) => [field, ($message: Step) => access($message, column)])),
    },
  },
});

/**
 * The event with its `message` row: the one it carries, or else (a row too
 * big for a notification) the row read as the subscriber, null if they may
 * not see it.
 */
export async function withMessage(event: LiveEvent, read: ReadAsSubscriber): Promise<LiveEvent> {
  if (event.message !== undefined || typeof event.message_id !== "string") return event;
  const rows = await read<{ message: LiveEvent["message"] }>("select app_private.live_message(m) as message from communication_schema.messages m where m.id = $1", [event.message_id]);
  return { ...event, message: rows[0]?.message ?? null };
}
