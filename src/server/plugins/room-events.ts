/**
 * `roomEvents(chatRoomId)`: the live events of one chat room (message
 * created, edited or deleted, messages read, the partner typing), for its
 * participants only: the database refuses anyone else when the subscription
 * starts (RROOM). Built on src/server/plugins/live-events.ts.
 */
import { access } from "postgraphile/grafast";
import { extendSchema, gql } from "postgraphile/utils";
import { liveEvents, type Accept } from "./live-events.ts";
import { withMessage } from "./live-rows.ts";

const ROOM_EVENTS = new Set(["message_created", "message_edited", "message_deleted", "messages_read", "typing"]);

export const RoomEventsPlugin = extendSchema(() => {
  return {
    typeDefs: gql`
      extend type Subscription {
        """
        The live events of a chat room you are in, starting with subscribed (from then on
        nothing is missed: read the room's current state after it). Needs a logged-in
        websocket; RROOM when the room is not yours.
        """
        roomEvents(chatRoomId: UUID!): RoomEvent
      }

      """What happened in a chat room."""
      enum RoomEventKind {
        "The subscription is live: everything committed from now on will arrive."
        subscribed
        "A message was sent."
        message_created
        "A message was edited."
        message_edited
        "A message was deleted."
        message_deleted
        "The partner read up to a message."
        messages_read
        "The partner is typing: show it until typingUntil."
        typing
      }

      """One live event of a chat room."""
      type RoomEvent {
        "What happened."
        event: RoomEventKind!
        "The room."
        chatRoomId: UUID!
        "The message created, edited or deleted; for messages_read, the newest message read."
        message: LiveMessage
        "Who read (messages_read) or is typing (typing)."
        userId: UUID
        "typing: until when to show it, unless renewed."
        typingUntil: Datetime
      }
    `,
    objects: {
      Subscription: {
        plans: {
          roomEvents: {
            subscribePlan(_$root, { $chatRoomId }) {
              return liveEvents($chatRoomId, inRoom);
            },
            plan($event) {
              return $event;
            },
          },
        },
      },
      RoomEvent: {
        plans: {
          event: ($event) => access($event, "event"),
          chatRoomId: ($event) => access($event, "chat_room_id"),
          message: ($event) => access($event, "message"),
          userId: ($event) => access($event, "user_id"),
          typingUntil: ($event) => access($event, "until"),
        },
      },
    },
  };
});

/** The events of this room only, each with its message. */
const inRoom: Accept = (event, { chatRoomId }, read) =>
  ROOM_EVENTS.has(event.event) && event.chat_room_id === chatRoomId ? withMessage(event, read) : null;
