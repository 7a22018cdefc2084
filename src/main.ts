/**
 * `npm start`: the GraphQL API (as rtc_authenticator) and the worker (as
 * rtc_owner), in one process; Ctrl-C stops them all. On the embedded default
 * it also starts Postgres and sets it up (roles, database, schema deploy);
 * on a database that is not ours it deploys only with MIGRATE_ON_START, and
 * refuses to run on a schema that is not this code's.
 */
import { config } from "./config.ts";
import { prepareSchema, requireUrls, startPostgres } from "./db/database.ts";
import { startApiServer } from "./server/http.ts";
import { startWorker } from "../worker/runner.ts";
import { exitWhenPostgresDies, onShutdown } from "./shutdown.ts";
import { buildWebClient } from "./web/build.ts";

const postgres = await startPostgres();
exitWhenPostgresDies(postgres);
if (!(await prepareSchema(postgres, console.log))) process.exit(1);
const urls = requireUrls(postgres);
const worker = await startWorker(urls.owner);
const webRoot = await buildWebClient();
const api = await startApiServer(urls, { ...config.http, graphiql: config.graphiql, introspection: config.introspection, webRoot });

const base = `http://${config.http.host}:${config.http.port}`;
console.log(`Real-time Connect is up:
  Web client    ${base}/
  GraphQL API   ${base}/graphql  (websockets on the same path)
  Ruru IDE      ${config.graphiql ? `${base}/graphiql` : "off (GRAPHIQL=false)"}
  Health        ${base}/healthz
  Database      ${postgres.embedded ? `embedded Postgres, data in ${config.embedded.dataDir}` : `"${urls.databaseName}" (rtc_authenticator for the API, rtc_owner for the worker)`}
Press Ctrl-C to stop.`);

onShutdown(async (signal) => {
  console.log(`\n${signal}: stopping…`);
  await api.close();
  await worker.stop();
  await postgres.stop();
  console.log("Stopped.");
});
