/**
 * `npm run gm -- <command>`: the graphile-migrate CLI (watch, commit, uncommit,
 * status, reset ...) pointed at this project's database, for writing migrations.
 */
import { startPostgres } from "../db/database.ts";
import { databaseUrls } from "../db/urls.ts";
import { runGraphileMigrate } from "../db/setup.ts";

const postgres = await startPostgres();
try {
  process.stdout.write(await runGraphileMigrate(process.argv.slice(2), databaseUrls(postgres.superuserUrl)));
} catch (error) {
  const failed = error as { stdout?: string; stderr?: string; code?: number };
  process.stdout.write(failed.stdout ?? "");
  process.stderr.write(failed.stderr ?? String(error));
  process.exitCode = failed.code ?? 1;
} finally {
  await postgres.stop();
}
