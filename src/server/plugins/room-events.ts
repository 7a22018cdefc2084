/**
 * `roomEvents(chatRoomId)`: the live events of one chat room (message
 * created, edited or deleted, messages read, the partner typing), for its
 * participants only: the database refuses anyone else when the subscription
 * starts (RROOM). Built on src/server/plugins/live-events.ts.
 */
import { access } from "postgraphile/grafast";
import { extendSchema, gql } from "postgraphile/utils";
import { liveEvents, type Accept } from "./live-events.ts";

const ROOM_EVENTS = new Set(["message_created", "message_edited", "message_deleted", "messages_read", "typing"]);

export const RoomEventsPlugin = extendSchema((build) => {
  const { messages } = build.pgResources;
  return {
    typeDefs: gql`
      extend type Subscription {
        """
        The live events of a chat room you are in: subscribed (first: from now on nothing is
        missed, so read the room's current state after it), message_created, message_edited,
        message_deleted, messages_read (the partner read up to a message), typing (the partner
        is typing; show it until typingUntil). Needs a logged-in websocket; RROOM when the room
        is not yours.
        """
        roomEvents(chatRoomId: UUID!): RoomEvent
      }

      """One live event of a chat room."""
      type RoomEvent {
        "subscribed, message_created, message_edited, message_deleted, messages_read or typing."
        event: String!
        "The room."
        chatRoomId: UUID!
        "The message created, edited or deleted; for messages_read, the newest message read."
        message: Message
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
          message: ($event) => messages.get({ id: access($event, "message_id") }),
          userId: ($event) => access($event, "user_id"),
          typingUntil: ($event) => access($event, "until"),
        },
      },
    },
  };
});

/** The events of this room only. */
const inRoom: Accept = (event, { chatRoomId }) => (ROOM_EVENTS.has(event.event) && event.chat_room_id === chatRoomId ? event : null);
