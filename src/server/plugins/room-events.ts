/**
 * `roomEvents(chatRoomId)`: the live events of one chat room (message
 * created, edited or deleted, messages read, typing), fed by LISTEN/NOTIFY.
 * The channel is 'room:' + md5(room id : user id) with the authenticated
 * user's id (sql/communication_schema/chat.sql notifies each participant on
 * theirs), so a user who is not in the room listens on a channel nobody
 * writes to. Rows are re-read under the subscriber's row-level security.
 */
import { createHash } from "node:crypto";
import { jsonParse } from "postgraphile/@dataplan/json";
import { context, lambda, list, listen, SafeError } from "postgraphile/grafast";
import { extendSchema, gql } from "postgraphile/utils";

export function roomChannel(chatRoomId: string, userId: string): string {
  return `room:${createHash("md5").update(`${chatRoomId}:${userId}`).digest("hex")}`;
}

export const RoomEventsPlugin = extendSchema((build) => {
  const { messages } = build.pgResources;
  return {
    typeDefs: gql`
      extend type Subscription {
        """
        The live events of a chat room you are in: message_created, message_edited,
        message_deleted, messages_read (the partner read up to a message), typing
        (show it until typingUntil). Needs a logged-in websocket.
        """
        roomEvents(chatRoomId: UUID!): RoomEvent
      }

      """One live event of a chat room, re-read with your own access rights."""
      type RoomEvent {
        "message_created, message_edited, message_deleted, messages_read or typing."
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
              const $topic = lambda(list([$chatRoomId, context().get("rtcUserId")]), ([chatRoomId, userId]) => {
                if (!userId) throw new SafeError("Log in to receive your events.", { code: "RAUTH" });
                return roomChannel(String(chatRoomId), String(userId));
              });
              return listen(context().get("pgSubscriber"), $topic, jsonParse);
            },
            plan($event) {
              return $event;
            },
          },
        },
      },
      RoomEvent: {
        plans: {
          event: ($event) => $event.get("event"),
          chatRoomId: ($event) => $event.get("chat_room_id"),
          message: ($event) => messages.get({ id: $event.get("message_id") }),
          userId: ($event) => $event.get("user_id"),
          typingUntil: ($event) => $event.get("until"),
        },
      },
    },
  };
});
