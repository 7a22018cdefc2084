/**
 * `iceServers`: the STUN/TURN servers a logged-in client gives its
 * RTCPeerConnection. The TURN shared secret is server configuration, not
 * data, so this rule lives here rather than in SQL. With a secret, each user
 * gets short-lived TURN credentials in the TURN REST scheme that coturn's
 * `use-auth-secret` checks: username "<expiry unix time>:<user id>",
 * password base64(HMAC-SHA1(secret, username)). No secret, no TURN entry.
 */
import { createHmac } from "node:crypto";
import { context, lambda, SafeError } from "postgraphile/grafast";
import { extendSchema, gql } from "postgraphile/utils";

export interface IceSettings {
  /** STUN server URLs (stun:host:port), given to every logged-in user. */
  stunUrls: string[];
  /** TURN server URLs (turn:host:port?transport=udp); used only with `turnSecret`. */
  turnUrls: string[];
  /** coturn's static-auth-secret; unset means no TURN. */
  turnSecret: string | undefined;
  /** How long TURN credentials stay valid. */
  turnCredentialSeconds: number;
}

export interface IceServer {
  urls: string[];
  username: string | null;
  credential: string | null;
}

/** The TURN REST credentials for a user, valid until `now + seconds`. */
export function turnCredentials(secret: string, userId: string, seconds: number, now = Date.now()): { username: string; credential: string } {
  const username = `${Math.floor(now / 1000) + seconds}:${userId}`;
  return { username, credential: createHmac("sha1", secret).update(username).digest("base64") };
}

export function iceServersFor(settings: IceSettings, userId: string): IceServer[] {
  const servers: IceServer[] = [];
  if (settings.stunUrls.length > 0) servers.push({ urls: settings.stunUrls, username: null, credential: null });
  if (settings.turnSecret && settings.turnUrls.length > 0) {
    servers.push({ urls: settings.turnUrls, ...turnCredentials(settings.turnSecret, userId, settings.turnCredentialSeconds) });
  }
  return servers;
}

export function makeIceServersPlugin(settings: IceSettings) {
  return extendSchema({
    typeDefs: gql`
      extend type Query {
        """
        The STUN and TURN servers to give RTCPeerConnection (its iceServers option), for the
        current user. TURN entries carry credentials of this user that expire (by default
        after an hour): ask again before each call. Empty when the server has none
        configured (peers on one network still connect). Logged-in users only (RAUTH).
        """
        iceServers: [IceServer!]!
      }

      """One entry of RTCPeerConnection's iceServers."""
      type IceServer {
        "stun: or turn: URLs."
        urls: [String!]!
        "TURN user name (<expiry unix time>:<user id>); null for STUN."
        username: String
        "TURN password; null for STUN."
        credential: String
      }
    `,
    objects: {
      Query: {
        plans: {
          iceServers() {
            return lambda(context().get("rtcUserId"), (userId) => {
              if (!userId) throw new SafeError("Log in to get ICE servers.", { code: "RAUTH" });
              return iceServersFor(settings, String(userId));
            });
          },
        },
      },
    },
  });
}
