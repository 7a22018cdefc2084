/**
 * `userEvents`: everything that happens to the logged-in user, live (the
 * inbox). Built on src/server/plugins/live-events.ts: the user's own channel,
 * named by the database. A new message and a call signal come with their
 * rows (src/server/plugins/live-rows.ts); the other rows an event names are
 * read under the subscriber's own row-level security.
 */
import { access } from "postgraphile/grafast";
import { extendSchema, gql } from "postgraphile/utils";
import { liveEvents, type Accept } from "./live-events.ts";
import { withCallSignal, withMessage } from "./live-rows.ts";

const INBOX_EVENTS = new Set(["matched", "video_call", "call_signal", "call_ended", "connected", "unmatched", "presence", "video_request"]);

export const UserEventsPlugin = extendSchema((build) => {
  const { interaction_logs, connections, public_profiles, video_requests } = build.pgResources;
  return {
    typeDefs: gql`
      extend type Subscription {
        """
        Everything that happens to the current user, live (the inbox), starting with subscribed
        (from then on nothing is missed: read the current state after it). Needs a logged-in
        websocket (connection parameter authorization: "Bearer <token>").
        """
        userEvents: UserEvent
      }

      """What happened to the current user."""
      enum UserEventKind {
        "The subscription is live: everything committed from now on will arrive."
        subscribed
        "A call was made for you (interaction)."
        matched
        "A video call was started with you (interaction)."
        video_call
        "The other participant of a call signaled (signal)."
        call_signal
        "A call ended (interaction)."
        call_ended
        "A call became a connection (connection)."
        connected
        "A connection ended (connection)."
        unmatched
        "A connection partner's presence changed (profile)."
        presence
        "A new message from your partner in any of your rooms (message)."
        message
        "A video request was made, answered or expired (videoRequest)."
        video_request
      }

      """One live event; the fields that apply to its kind are set, read with your own access rights."""
      type UserEvent {
        "What happened."
        event: UserEventKind!
        "The call (matched, video_call, call_signal, call_ended)."
        interaction: InteractionLog
        "The signal to apply (call_signal), in order of rowId."
        signal: LiveCallSignal
        "The connection (connected, unmatched)."
        connection: Connection
        "The public profile whose presence changed (presence)."
        profile: PublicProfile
        "The new message (message)."
        message: LiveMessage
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
          signal: ($event) => access($event, "signal"),
          connection: ($event) => connections.get({ id: access($event, "connection_id") }),
          profile: ($event) => public_profiles.get({ user_id: access($event, "user_id") }),
          message: ($event) => access($event, "message"),
          videoRequest: ($event) => video_requests.get({ id: access($event, "video_request_id") }),
        },
      },
    },
  };
});

/** The inbox's own events, and each new message from someone else (the room's own events stay in roomEvents). */
const inbox: Accept = (event, { userId }, read) => {
  if (event.event === "call_signal") return withCallSignal(event, read);
  if (INBOX_EVENTS.has(event.event)) return event;
  if (event.event === "message_created" && event.sender_user_id !== userId) return withMessage({ ...event, event: "message" }, read);
  return null;
};
