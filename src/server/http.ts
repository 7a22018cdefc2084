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
import { makePreset, type PresetOptions } from "./preset.ts";

export interface ApiServer {
  server: Server;
  close(): Promise<void>;
}

export async function startApiServer(urls: DatabaseUrls, options: PresetOptions & { port: number; host: string }): Promise<ApiServer> {
  const app = express();
  const server = createServer(app);
  const healthPool = new pg.Pool({ connectionString: urls.authenticator, max: 1 });
  // An idle connection dropped by the server (e.g. Postgres shutting down) is not a crash.
  healthPool.on("error", () => {});

  app.get("/healthz", async (_req, res) => {
    try {
      await healthPool.query("select 1");
      res.json({ status: "ok", database: "ok" });
    } catch (error) {
      res.status(503).json({ status: "error", database: (error as Error).message });
    }
  });

  const pgl = postgraphile(makePreset(urls, options));
  await pgl.createServ(grafserv).addTo(app, server);

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, resolve);
  });

  return {
    server,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await pgl.release();
      // pgl.release() leaves the pools (and LISTEN client) of each pgService open.
      for (const service of pgl.getResolvedPreset().pgServices ?? []) await service.release?.();
      await healthPool.end();
    },
  };
}
