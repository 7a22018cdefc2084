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

const BEARER = /^Bearer\s+([0-9a-f]{64})$/i;

export type PgSettings = { role: string } & Record<string, string>;

/** Runs `select * from app_private.authenticate($1)` as the authenticator. */
export type SessionLookup = (token: string) => Promise<{ session_id: string; user_role: string } | undefined>;

export function sessionLookup(authenticatorPool: pg.Pool): SessionLookup {
  return async (token) => (await authenticatorPool.query("select * from app_private.authenticate($1)", [token])).rows[0];
}

const INVALID_SESSION = { message: "Your session has expired or was ended. Log in again.", code: "RSESS" };

/** The settings for a request, or null when it carries a token of no live session. */
export async function pgSettingsFor(request: IncomingMessage, authorization: unknown, lookup: SessionLookup): Promise<PgSettings | null> {
  const connection = {
    "rtc.ip_address": request.socket.remoteAddress ?? "",
    "rtc.user_agent": String(request.headers["user-agent"] ?? "").slice(0, 500),
  };
  if (!authorization) return { role: "rtc_visitor", ...connection };
  const token = BEARER.exec(String(authorization))?.[1];
  const session = token ? await lookup(token) : undefined;
  if (!session) return null;
  return {
    role: session.user_role === "admin" ? "rtc_admin" : "rtc_user",
    "rtc.session_id": session.session_id,
    ...connection,
  };
}

const httpSettings = new WeakMap<IncomingMessage, PgSettings>();

/** Express middleware for the GraphQL route: authenticates, or answers 401 with code RSESS. */
export function authenticateHttp(lookup: SessionLookup): RequestHandler {
  return (req, res, next) => {
    pgSettingsFor(req, req.headers.authorization, lookup).then((settings) => {
      if (!settings) {
        res.status(401).json({ errors: [{ message: INVALID_SESSION.message, extensions: { code: INVALID_SESSION.code } }] });
        return;
      }
      httpSettings.set(req, settings);
      next();
    }, next);
  };
}

/** The pgSettings of a GraphQL operation (grafast `context`). */
export async function pgSettingsForOperation(requestContext: Partial<Grafast.RequestContext>, lookup: SessionLookup): Promise<PgSettings> {
  const httpRequest = requestContext.node?.req;
  const authenticated = httpRequest && httpSettings.get(httpRequest);
  if (authenticated) return authenticated;
  const ws = requestContext.ws;
  if (!ws?.request) throw new Error("A GraphQL request that came through neither the HTTP middleware nor a websocket");
  const settings = await pgSettingsFor(ws.request, ws.normalizedConnectionParams?.authorization, lookup);
  if (!settings) throw new SafeError(INVALID_SESSION.message, { code: INVALID_SESSION.code });
  return settings;
}
