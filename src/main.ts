/**
 * `npm start`: Postgres (embedded unless DATABASE_URL is set), migrations,
 * the GraphQL API and the worker, in one process; Ctrl-C stops them all.
 */
import { config } from "./config.ts";
import { startPostgres } from "./db/database.ts";
import { setupDatabase } from "./db/setup.ts";
import { startApiServer } from "./server/http.ts";
import { startWorker } from "../worker/runner.ts";
import { exitWhenPostgresDies, onShutdown } from "./shutdown.ts";
import { buildWebClient } from "./web/build.ts";

const postgres = await startPostgres();
exitWhenPostgresDies(postgres);
const urls = await setupDatabase(postgres.superuserUrl);
const worker = await startWorker(urls.owner);
const webRoot = await buildWebClient();
const api = await startApiServer(urls, { ...config.http, graphiql: config.graphiql, introspection: config.introspection, webRoot });

const base = `http://${config.http.host}:${config.http.port}`;
console.log(`Real-time Connect is up:
  Web client    ${base}/
  GraphQL API   ${base}/graphql  (websockets on the same path)
  Ruru IDE      ${config.graphiql ? `${base}/graphiql` : "off (GRAPHIQL=false)"}
  Health        ${base}/healthz
  Database      ${postgres.embedded ? `embedded Postgres, data in ${config.embedded.dataDir}` : "DATABASE_URL"}
Press Ctrl-C to stop.`);

onShutdown(async (signal) => {
  console.log(`\n${signal}: stopping…`);
  await api.close();
  await worker.stop();
  await postgres.stop();
  console.log("Stopped.");
});
