/**
 * `npm start`: the GraphQL API (as rtc_authenticator) and the worker (as
 * rtc_owner), in one process; Ctrl-C stops them all. On the embedded default
 * it also starts Postgres and sets it up (roles, database, schema deploy);
 * on a database that is not ours it deploys only with MIGRATE_ON_START, and
 * refuses to run on a schema that is not this code's.
 */
import path from "node:path";
import { config } from "./config.ts";
import { prepareSchema, requireUrls, startPostgres } from "./db/database.ts";
import { PASSWORD_FILE } from "./db/embedded-postgres.ts";
import { startApiServer } from "./server/http.ts";
import { startWorker } from "../worker/runner.ts";
import { exitNotStarted, exitWhenPostgresDies, onShutdown } from "./shutdown.ts";
import { buildWebClient } from "./web/build.ts";

const postgres = await startPostgres().catch(exitNotStarted);
exitWhenPostgresDies(postgres);
const stopPostgresAndExit = async (error: unknown) => {
  await postgres.stop(); // the only child process: nothing else outlives this one
  return exitNotStarted(error);
};
if (!(await prepareSchema(postgres, console.log).catch(stopPostgresAndExit))) {
  await postgres.stop();
  process.exit(1);
}
const urls = requireUrls(postgres);
const { worker, api } = await (async () => {
  const worker = await startWorker(urls.owner);
  const webRoot = await buildWebClient();
  const api = await startApiServer(urls, { ...config.http, graphiql: config.graphiql, introspection: config.introspection, trustedDocuments: config.trustedDocuments, webRoot });
  return { worker, api };
})().catch(stopPostgresAndExit);

const base = `http://${config.http.host}:${config.http.port}`;
console.log(`Real-time Connect is up:
  Web client    ${base}/
  GraphQL API   ${base}/graphql  (websockets on the same path)
  Ruru IDE      ${config.graphiql ? `${base}/graphiql` : "off (GRAPHIQL=false)"}
  Health        ${base}/healthz
  Mail          ${config.mail.smtpUrl ? "through SMTP_URL" : `.eml files in ${config.mail.dir}`}, links to ${config.appUrl} (APP_URL)
  Database      ${postgres.embedded ? `embedded Postgres, data in ${config.embedded.dataDir}` : `"${urls.databaseName}" (rtc_authenticator for the API, rtc_owner for the worker)`}${postgres.embedded ? besideThis() : ""}
Press Ctrl-C to stop.`);

/** How `npm run worker` or create-admin reach this embedded Postgres while it runs (the password stays in its file). */
function besideThis(): string {
  const url = new URL(postgres.superuserUrl!);
  url.password = "PASSWORD";
  const passwordFile = path.join(config.embedded.dataDir, PASSWORD_FILE);
  return `\n  Beside it     DATABASE_URL="${url.toString().replace("PASSWORD", `$(cat ${passwordFile})`)}" npm run worker  (or create-admin)`;
}

onShutdown(async (signal) => {
  console.log(`\n${signal}: stopping…`);
  await api.close();
  await worker.stop();
  await postgres.stop();
  console.log("Stopped.");
});
