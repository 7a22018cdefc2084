/**
 * `npm run db:migrate`: the schema deploy (src/db/deploy.ts), as rtc_owner
 * (OWNER_DATABASE_URL, or derived from DATABASE_URL; the embedded Postgres is
 * set up first). Nothing new: nothing runs, no lock is taken.
 */
import { requireUrl, runCommand } from "../db/database.ts";
import { deploy } from "../db/deploy.ts";
import { setupCluster } from "../db/setup.ts";

await runCommand(async (postgres) => {
  if (postgres.embedded) await setupCluster(postgres.superuserUrl!);
  const outcome = await deploy(requireUrl(postgres, "owner"), { log: (line) => console.log(line) });
  console.log(
    outcome.changed
      ? `Deployed in one transaction: ${outcome.migrations.length ? `migrations ${outcome.migrations.join(", ")}` : "no new migration"}, then the ${outcome.sqlFiles} files of sql/.`
      : "The database already runs this schema: nothing to do.",
  );
}, "Not deployed: ");
