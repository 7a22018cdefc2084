/**
 * `npm run db:setup`: the one-time cluster set-up, as a superuser (DATABASE_URL,
 * or the embedded Postgres): the roles and the database, created if missing.
 * The schema is deployed by `npm run db:migrate`.
 */
import { requireSuperuser, runCommand } from "../db/database.ts";
import { setupCluster } from "../db/setup.ts";

await runCommand(async (postgres) => {
  const superuserUrl = requireSuperuser(postgres, "db:setup needs a superuser: set DATABASE_URL (e.g. postgres://postgres@host/realtime_connect).");
  const { report } = await setupCluster(superuserUrl);
  for (const line of report) console.log(line);
  console.log("Next: npm run db:migrate (deploys the schema as rtc_owner).");
});
