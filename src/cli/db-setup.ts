/** `npm run db:setup`: create roles and database if needed, then migrate. */
import { startPostgres } from "../db/database.ts";
import { setupDatabase } from "../db/setup.ts";

const postgres = await startPostgres();
try {
  const urls = await setupDatabase(postgres.superuserUrl);
  console.log(`Database "${urls.databaseName}" is up to date.`);
} finally {
  await postgres.stop();
}
