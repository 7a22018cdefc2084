/**
 * `npm run worker`: graphile-worker alone, for more workers beside `npm start`
 * (which runs one already). Point it at the database with DATABASE_URL; without
 * it, it starts the embedded Postgres itself, which only works while `npm start`
 * is not running (they would share one data folder).
 */
import { startPostgres } from "../src/db/database.ts";
import { setupDatabase } from "../src/db/setup.ts";
import { exitWhenPostgresDies, onShutdown } from "../src/shutdown.ts";
import { startWorker } from "./runner.ts";

const postgres = await startPostgres();
exitWhenPostgresDies(postgres);
const urls = await setupDatabase(postgres.superuserUrl);
const worker = await startWorker(urls.owner);
console.log(`Worker running on database "${urls.databaseName}". Press Ctrl-C to stop.`);

onShutdown(async () => {
  await worker.stop();
  await postgres.stop();
});
