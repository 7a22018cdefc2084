/**
 * The HTTP server: PostGraphile (GraphQL over HTTP and websockets, Ruru) on
 * Express 5, plus /healthz.
 */
import { createServer, type Server } from "node:http";
import express from "express";
import pg from "pg";
import { postgraphile } from "postgraphile";
import { grafserv } from "postgraphile/grafserv/express/v4";
import type { DatabaseUrls } from "../db/urls.ts";
import { makePreset } from "./preset.ts";
import { authenticateHttp, sessionLookup } from "./auth.ts";
import { SessionSockets } from "./session-sockets.ts";
import type { IceSettings } from "./plugins/ice-servers.ts";
import { attachWebsockets } from "./websockets.ts";
import { config, type Limits } from "../config.ts";

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
}

export async function startApiServer(urls: DatabaseUrls, options: ApiServerOptions): Promise<ApiServer> {
  const limits = options.limits ?? config.limits;
  const app = express();
  app.disable("x-powered-by");
  const server = createServer(app);
  // The authenticator's own pool: health checks and bearer-token look-ups.
  const authPool = new pg.Pool({ connectionString: urls.authenticator, max: 4 });
  // An idle connection dropped by the server (e.g. Postgres shutting down) is not a crash.
  authPool.on("error", () => {});
  const lookup = sessionLookup(authPool);

  app.get("/healthz", async (_req, res) => {
    try {
      await authPool.query("select 1");
      res.json({ status: "ok", database: "ok" });
    } catch (error) {
      res.status(503).json({ status: "error", database: (error as Error).message });
    }
  });

  app.use("/graphql", authenticateHttp(lookup));
  const sessionSockets = new SessionSockets();
  const pgl = postgraphile(
    makePreset(urls, { graphiql: options.graphiql, introspection: options.introspection, sessionLookup: lookup, sessionSockets, ice: options.ice, limits }),
  );
  const serv = pgl.createServ(grafserv);
  // Websockets are attached by attachWebsockets (message size and socket limits), not by grafserv.
  await serv.addTo(app, server, false);
  const websockets = attachWebsockets(server, serv, "/graphql", limits.websocket);
  const pgSubscriber = pgl.getResolvedPreset().pgServices?.[0]?.pgSubscriber;
  if (!pgSubscriber) throw new Error("the pg service has no subscriber (pubsub must be on)");
  const endedSessions = sessionSockets.follow(pgSubscriber);

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, resolve);
  });

  return {
    server,
    async close() {
      endedSessions.stop();
      await websockets.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await pgl.release();
      // pgl.release() leaves the pools (and LISTEN client) of each pgService open.
      for (const service of pgl.getResolvedPreset().pgServices ?? []) await service.release?.();
      await authPool.end();
    },
  };
}
