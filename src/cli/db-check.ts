/**
 * `npm run db:check`: lists the functions, policies, triggers and grants of
 * the app's schemas that migrations/ and sql/ do not define (src/db/catalog.ts)
 * and exits 1 when there is any. It builds the reference, a fresh deploy of
 * this code, in a scratch database "<db>_reference" on the same server, so it
 * needs a superuser (DATABASE_URL, or the embedded Postgres).
 */
import pg from "pg";
import { requireSuperuser, runCommand } from "../db/database.ts";
import { undefinedObjects } from "../db/catalog.ts";
import { deploy } from "../db/deploy.ts";
import { databaseUrls } from "../db/urls.ts";

await runCommand(async (postgres) => {
  const superuserUrl = requireSuperuser(postgres, "db:check needs a superuser (DATABASE_URL): it builds a reference database from this code.");
  const urls = databaseUrls(superuserUrl);
  const reference = databaseUrls(Object.assign(new URL(urls.superuser), { pathname: `/${urls.databaseName}_reference` }).toString());
  const maintenance = new pg.Client({ connectionString: urls.maintenance });
  await maintenance.connect();
  const name = pg.escapeIdentifier(reference.databaseName);
  try {
    await maintenance.query(`drop database if exists ${name}`);
    await maintenance.query(`create database ${name} owner rtc_owner encoding 'UTF8' template template0`);
    await deploy(reference.owner);
    const found = await undefinedObjects(urls.superuser, reference.superuser);
    if (found.length) {
      console.log(`${found.length} objects in "${urls.databaseName}" that migrations/ and sql/ do not define (drop them in a committed migration):`);
      for (const line of found) console.log(`  ${line}`);
      process.exitCode = 1;
    } else {
      console.log(`"${urls.databaseName}" has no function, policy, trigger or grant that migrations/ and sql/ do not define.`);
    }
  } finally {
    await maintenance.query(`drop database if exists ${name}`);
    await maintenance.end();
  }
});
