/**
 * `userEvents`: everything that happens to the logged-in user, live (the
 * inbox). Built on src/server/plugins/live-events.ts: the user's own channel,
 * named by the database. An event carries ids; each row is re-read under the
 * subscriber's own row-level security.
 */
import { access } from "postgraphile/grafast";
import { extendSchema, gql } from "postgraphile/utils";
import { liveEvents, type Accept } from "./live-events.ts";

const INBOX_EVENTS = new Set(["matched", "video_call", "call_signal", "call_ended", "connected", "unmatched", "presence", "video_request"]);

export const UserEventsPlugin = extendSchema((build) => {
  const { interaction_logs, call_signals, connections, public_profiles, messages, video_requests } = build.pgResources;
  return {
    typeDefs: gql`
      extend type Subscription {
        """
        Everything that happens to the current user, live (the inbox): subscribed (first: from
        now on nothing is missed, so read the current state after it), matched (a call was
        made for you), video_call (a video call was started with you), call_signal (the other
        participant signaled), call_ended, connected, unmatched, presence (a connection
        partner's presence changed), message (a new message from your partner in any of your
        rooms), video_request (a video request was made, answered or expired). Needs a
        logged-in websocket (connection parameter authorization: "Bearer <token>").
        """
        userEvents: UserEvent
      }

      """One live event; the fields that apply to its kind are set, read with your own access rights."""
      type UserEvent {
        "subscribed, matched, video_call, call_signal, call_ended, connected, unmatched, presence, message or video_request."
        event: String!
        "The call (matched, video_call, call_signal, call_ended)."
        interaction: InteractionLog
        "The signal to apply (call_signal), in order of rowId."
        signal: CallSignal
        "The connection (connected, unmatched)."
        connection: Connection
        "The public profile whose presence changed (presence)."
        profile: PublicProfile
        "The new message (message)."
        message: Message
        "The video request (video_request)."
        videoRequest: VideoRequest
      }
    `,
    objects: {
      Subscription: {
        plans: {
          userEvents: {
            subscribePlan() {
              return liveEvents(null, inbox);
            },
            plan($event) {
              return $event;
            },
          },
        },
      },
      UserEvent: {
        plans: {
          event: ($event) => access($event, "event"),
          interaction: ($event) => interaction_logs.get({ id: access($event, "interaction_id") }),
          signal: ($event) => call_signals.get({ id: access($event, "signal_id") }),
          connection: ($event) => connections.get({ id: access($event, "connection_id") }),
          profile: ($event) => public_profiles.get({ user_id: access($event, "user_id") }),
          message: ($event) => messages.get({ id: access($event, "message_id") }),
          videoRequest: ($event) => video_requests.get({ id: access($event, "video_request_id") }),
        },
      },
    },
  };
});

/** The inbox's own events, and each new message from someone else (the room's own events stay in roomEvents). */
const inbox: Accept = (event, { userId }) => {
  if (INBOX_EVENTS.has(event.event)) return event;
  if (event.event === "message_created" && event.sender_user_id !== userId) return { ...event, event: "message" };
  return null;
};
