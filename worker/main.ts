/**
 * `npm run worker`: graphile-worker alone, for more workers beside `npm start`
 * (which runs one already). Point it at the database with DATABASE_URL; without
 * it, it starts the embedded Postgres itself, which only works while `npm start`
 * is not running (they would share one data folder).
 */
import { prepareSchema, requireUrl, startPostgres } from "../src/db/database.ts";
import { exitNotStarted, exitWhenPostgresDies, onShutdown } from "../src/shutdown.ts";
import { startWorker } from "./runner.ts";

const postgres = await startPostgres().catch(exitNotStarted);
exitWhenPostgresDies(postgres);
const stopPostgresAndExit = async (error: unknown) => {
  await postgres.stop();
  return exitNotStarted(error);
};
if (!(await prepareSchema(postgres, console.log).catch(stopPostgresAndExit))) {
  await postgres.stop();
  process.exit(1);
}
const worker = await startWorker(requireUrl(postgres, "owner")).catch(stopPostgresAndExit);
console.log(`Worker running on database "${postgres.urls.databaseName}" as rtc_owner. Press Ctrl-C to stop.`);

onShutdown(async () => {
  await worker.stop();
  await postgres.stop();
});
