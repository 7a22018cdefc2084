/**
 * The HTTP server: PostGraphile (GraphQL over HTTP and websockets, Ruru at
 * /graphiql) on Express 5, plus /healthz and the built web client at /. It
 * outlives the database: while Postgres is away /healthz answers 503 and
 * GraphQL code RUNAV (./database-health.ts), and every connection it holds
 * comes back by itself.
 */
import { createServer, type Server } from "node:http";
import path from "node:path";
import express from "express";
import pg from "pg";
import { postgraphile } from "postgraphile";
import { grafserv } from "postgraphile/grafserv/express/v4";
import type { DatabaseUrls } from "../db/urls.ts";
import { API_SCHEMAS, makePreset } from "./preset.ts";
import { loadConstraintRules } from "./errors.ts";
import { authenticateHttp, identify, sessionLookup } from "./auth.ts";
import { SessionSockets } from "./session-sockets.ts";
import type { IceSettings } from "./plugins/ice-servers.ts";
import { attachWebsockets } from "./websockets.ts";
import { config, type Limits } from "../config.ts";
import { sendStatementsInOneTrip } from "./one-trip-statements.ts";
import { DATABASE_UNAVAILABLE, DatabaseHealth, ignoreConnectionErrors, isConnectionError } from "./database-health.ts";
import { SessionCache } from "./session-cache.ts";
import { CappedPgSubscriber } from "./live-channels.ts";
import { readTrustedDocuments } from "./trusted-documents.ts";
import { MAIL_LINK_PAGES } from "../web/mail-links.ts";

export interface ApiServer {
  server: Server;
  close(): Promise<void>;
}

export interface ApiServerOptions {
  port: number;
  host: string;
  graphiql: boolean;
  introspection: boolean;
  /** STUN/TURN servers for WebRTC clients (default: the environment's). */
  ice?: IceSettings;
  /** README "Limits"; config.limits unless given. */
  limits?: Limits;
  /** A folder of static files served at / (the built web client, src/web/build.ts). */
  webRoot?: string;
  /** Serve only the documents of this file (src/server/trusted-documents.ts). */
  trustedDocuments?: string;
}

export async function startApiServer(urls: DatabaseUrls, options: ApiServerOptions): Promise<ApiServer> {
  const limits = options.limits ?? config.limits;
  const app = express();
  app.disable("x-powered-by");
  const server = createServer(app);
  // A failed connection reports its error to the query using it; the pools
  // themselves never crash the process. Connecting waits 5 s at most. Idle
  // connections stay open (at most `max`), so the first request after a quiet
  // spell does not pay for connecting (bench:match measures it).
  const pool = (connectionString: string, max?: number) =>
    ignoreConnectionErrors(new pg.Pool({ connectionString, max, idleTimeoutMillis: 0, connectionTimeoutMillis: 5000 }));
  // The authenticator's own pool: bearer-token look-ups.
  const authPool = pool(urls.authenticator, 4);
  const graphqlPools = { authenticator: sendStatementsInOneTrip(pool(urls.authenticator)) };
  const pgSubscriber = new CappedPgSubscriber(graphqlPools.authenticator, limits.websocket.maxLiveChannels);
  const health = new DatabaseHealth(urls.authenticator, { timeoutMs: 2000, intervalMs: 1000 });
  for (const watched of [authPool, graphqlPools.authenticator]) health.watch(watched);
  const sessions = new SessionCache(sessionLookup(authPool), config.sessionCache);
  const lookup = sessions.lookup;
  const constraintRules = await loadConstraintRules(authPool, API_SCHEMAS);
  const trustedDocuments = options.trustedDocuments ? await readTrustedDocuments(options.trustedDocuments) : undefined;

  app.get("/healthz", async (_req, res) => {
    if (await health.check()) res.json({ status: "ok", database: "ok" });
    else res.status(503).json({ status: "error", database: "unavailable" });
  });

  if (options.webRoot) {
    const webRoot = path.resolve(options.webRoot);
    app.use(express.static(webRoot));
    // The pages that mail links open are the client's, which reads the path.
    app.get([...MAIL_LINK_PAGES], (_req, res) => res.sendFile(path.join(webRoot, "index.html")));
  }
  const unavailable = (res: express.Response) =>
    res.status(503).json({ errors: [{ message: DATABASE_UNAVAILABLE.message, extensions: { code: DATABASE_UNAVAILABLE.code } }] });
  app.use("/graphql", (_req, res, next) => (health.available ? next() : unavailable(res)));
  app.use("/graphql", authenticateHttp(lookup));
  app.use("/graphql", ((error, _req, res, next) => (isConnectionError(error) ? unavailable(res) : next(error))) as express.ErrorRequestHandler);
  // One report at a time per session, in order. One lost while the database
  // is away is not retried: the device's heartbeats still bound its call.
  const reports = new Map<string, Promise<unknown>>();
  const reportSocket = (sessionId: string, event: "opened" | "closed") => {
    const report = (reports.get(sessionId) ?? Promise.resolve())
      .then(() => authPool.query(`select app_private.device_socket_${event}($1)`, [sessionId]))
      .catch(() => {})
      .finally(() => reports.get(sessionId) === report && reports.delete(sessionId));
    reports.set(sessionId, report);
  };
  const sessionSockets = new SessionSockets(sessions, reportSocket);
  const pgl = postgraphile(
    makePreset(urls, {
      graphiql: options.graphiql,
      introspection: options.introspection,
      sessionLookup: lookup,
      sessionSockets,
      pools: graphqlPools,
      pgSubscriber,
      databaseHealth: health,
      ice: options.ice,
      limits,
      constraintRules,
      trustedDocuments,
    }),
  );
  const serv = pgl.createServ(grafserv);
  // Websockets are attached by attachWebsockets (message size and socket limits), not by grafserv.
  await serv.addTo(app, server, false);
  const websockets = attachWebsockets(server, serv, {
    path: "/graphql",
    limits: limits.websocket,
    admitSession: async (request, authorization, socket) => {
      const sessionId = authorization ? (await identify(request, authorization, lookup))?.sessionId : undefined;
      if (sessionId) sessionSockets.track(sessionId, socket);
      return Boolean(sessionId);
    },
  });
  const endedSessions = await sessionSockets.follow(urls.authenticator);

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, resolve);
  });
  health.start();

  return {
    server,
    async close() {
      await endedSessions.stop();
      await websockets.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await pgl.release();
      // pgl.release() leaves each pgService's LISTEN client open; the pools are ours.
      for (const service of pgl.getResolvedPreset().pgServices ?? []) await service.release?.();
      pgSubscriber.release();
      await health.stop();
      for (const ended of [authPool, graphqlPools.authenticator]) await ended.end();
    },
  };
}
