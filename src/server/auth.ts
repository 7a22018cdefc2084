/**
 * Turns a request's bearer token into the database role and settings that
 * row-level security reads (sql/app_private/current_user.sql). The token is
 * opaque: only the database knows which session it stands for.
 *
 * Over HTTP the token comes from `Authorization: Bearer <token>` and is
 * checked by an Express middleware (so a bad token gets a 401); over
 * websockets from the connection parameter `authorization` (same format),
 * checked for each operation.
 */
import type { IncomingMessage } from "node:http";
import type { RequestHandler } from "express";
import type pg from "pg";
import { SafeError } from "postgraphile/grafast";
import type { SessionSockets } from "./session-sockets.ts";

const BEARER = /^Bearer\s+([0-9a-f]{64})$/i;

export type PgSettings = { role: string } & Record<string, string>;

/** Who a request is: the database settings for its operations, the session and the user (null for a visitor). */
export interface Identity {
  pgSettings: PgSettings;
  sessionId: string | null;
  userId: string | null;
}

declare global {
  namespace Grafast {
    interface Context {
      /** The logged-in user, for deriving their event channel (src/server/plugins/user-events.ts). */
      rtcUserId: string | null;
    }
  }
}

/** Runs `select * from app_private.authenticate($1)` as the authenticator (src/server/session-cache.ts keeps the answers). */
export type SessionLookup = (token: string) => Promise<{ session_id: string; user_id: string; user_role: string; expires_at: Date | string } | undefined>;

export function sessionLookup(authenticatorPool: pg.Pool): SessionLookup {
  return async (token) => (await authenticatorPool.query("select * from app_private.authenticate($1)", [token])).rows[0];
}

const INVALID_SESSION = { message: "Your session has expired or was ended. Log in again.", code: "RSESS" };

/** Who a request is, or null when it carries a token of no live session. */
export async function identify(request: IncomingMessage, authorization: unknown, lookup: SessionLookup): Promise<Identity | null> {
  const connection = {
    "rtc.ip_address": request.socket.remoteAddress ?? "",
    "rtc.user_agent": String(request.headers["user-agent"] ?? "").slice(0, 500),
  };
  if (!authorization) return { pgSettings: { role: "rtc_visitor", ...connection }, sessionId: null, userId: null };
  const token = BEARER.exec(String(authorization))?.[1];
  const session = token ? await lookup(token) : undefined;
  if (!session) return null;
  return {
    pgSettings: { role: session.user_role === "admin" ? "rtc_admin" : "rtc_user", "rtc.session_id": session.session_id, ...connection },
    sessionId: session.session_id,
    userId: session.user_id,
  };
}

const httpIdentities = new WeakMap<IncomingMessage, Identity>();

/** Express middleware for the GraphQL route: authenticates, or answers 401 with code RSESS. */
export function authenticateHttp(lookup: SessionLookup): RequestHandler {
  return (req, res, next) => {
    identify(req, req.headers.authorization, lookup).then((identity) => {
      if (!identity) {
        res.status(401).json({ errors: [{ message: INVALID_SESSION.message, extensions: { code: INVALID_SESSION.code } }] });
        return;
      }
      httpIdentities.set(req, identity);
      next();
    }, next);
  };
}

/**
 * Who a GraphQL operation runs as (for grafast `context`). A websocket that
 * authenticated with a session is registered to be closed when it ends.
 */
export async function identifyOperation(
  requestContext: Partial<Grafast.RequestContext>,
  lookup: SessionLookup,
  sockets: SessionSockets,
): Promise<Identity> {
  const httpRequest = requestContext.node?.req;
  const authenticated = httpRequest && httpIdentities.get(httpRequest);
  if (authenticated) return authenticated;
  const ws = requestContext.ws;
  if (!ws?.request) throw new Error("A GraphQL request that came through neither the HTTP middleware nor a websocket");
  const identity = await identify(ws.request, ws.normalizedConnectionParams?.authorization, lookup);
  if (!identity) throw new SafeError(INVALID_SESSION.message, { code: INVALID_SESSION.code });
  if (identity.sessionId && ws.socket) sockets.track(identity.sessionId, ws.socket);
  return identity;
}
