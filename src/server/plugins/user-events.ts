/**
 * `userEvents`: one live stream per logged-in user, fed by LISTEN/NOTIFY on
 * the channel `user:<id>` (sql/app_private/notify.sql). The channel is derived
 * here from the authenticated user, never from the client. A notification
 * carries ids only; each row is re-read under the subscriber's own
 * row-level security, so nothing reaches a user that they could not query.
 */
import { jsonParse } from "postgraphile/@dataplan/json";
import { context, lambda, listen, SafeError } from "postgraphile/grafast";
import { extendSchema, gql } from "postgraphile/utils";

export const UserEventsPlugin = extendSchema((build) => {
  const { interaction_logs, call_signals, connections, public_profiles, messages, video_requests } = build.pgResources;
  return {
    typeDefs: gql`
      extend type Subscription {
        """
        Everything that happens to the current user, live (the inbox): matched (a call was
        made for you), video_call (a video call was started with you), call_signal (the other
        participant signaled), call_ended, connected, unmatched, presence (a connection
        partner's presence changed), message (a new message in any of your rooms),
        video_request (a video request was made, answered or expired). Needs a logged-in
        websocket (connection parameter authorization: "Bearer <token>").
        """
        userEvents: UserEvent
      }

      """One live event; the fields that apply to its kind are set, re-read with your own access rights."""
      type UserEvent {
        "matched, video_call, call_signal, call_ended, connected, unmatched, presence, message or video_request."
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
              const $topic = lambda(context().get("rtcUserId"), (userId) => {
                if (!userId) throw new SafeError("Log in to receive your events.", { code: "RAUTH" });
                return `user:${userId}`;
              });
              return listen(context().get("pgSubscriber"), $topic, jsonParse);
            },
            plan($event) {
              return $event;
            },
          },
        },
      },
      UserEvent: {
        plans: {
          event: ($event) => $event.get("event"),
          interaction: ($event) => interaction_logs.get({ id: $event.get("interaction_id") }),
          signal: ($event) => call_signals.get({ id: $event.get("signal_id") }),
          connection: ($event) => connections.get({ id: $event.get("connection_id") }),
          profile: ($event) => public_profiles.get({ user_id: $event.get("user_id") }),
          message: ($event) => messages.get({ id: $event.get("message_id") }),
          videoRequest: ($event) => video_requests.get({ id: $event.get("video_request_id") }),
        },
      },
    },
  };
});
