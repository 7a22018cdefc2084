/**
 * `npm run gm -- <command>`: the graphile-migrate CLI (watch, commit, uncommit,
 * status, reset ...) pointed at this project's database, for writing
 * migrations. It needs a superuser (the shadow database): DATABASE_URL, or
 * the embedded Postgres. Its output streams as it comes; Ctrl-C stops it,
 * then the embedded Postgres.
 */
import { requireSuperuser, runCommand } from "../db/database.ts";
import { databaseUrls } from "../db/urls.ts";
import { graphileMigrate } from "../db/setup.ts";

await runCommand(async (postgres) => {
  const superuserUrl = requireSuperuser(postgres, "npm run gm needs a superuser: set DATABASE_URL.");
  // Ctrl-C reaches graphile-migrate too; this process waits for it to finish.
  process.on("SIGINT", () => {});
  process.exitCode = await graphileMigrate(process.argv.slice(2), databaseUrls(superuserUrl));
});
