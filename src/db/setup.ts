/**
 * Brings a database to the current schema, from nothing or from any earlier
 * state; running it again changes nothing.
 *   1. cluster roles (sql/cluster/roles.sql), as the superuser
 *   2. the database itself, owned by rtc_owner
 *   3. graphile-worker's own schema (its migrations, not ours)
 *   4. `graphile-migrate migrate --forceActions`, as rtc_owner: the committed
 *      migrations, then every file of sql/ listed in .gmrc
 */
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { runMigrations } from "graphile-worker";
import { config, projectRoot } from "../config.ts";
import { databaseUrls, type DatabaseUrls } from "./urls.ts";
import { quietWorkerLogger } from "../../worker/logger.ts";


export async function setupDatabase(superuserUrl: string): Promise<DatabaseUrls> {
  const urls = databaseUrls(superuserUrl);
  await createRolesAndDatabase(urls);
  await runMigrations({ connectionString: urls.owner, logger: quietWorkerLogger });
  await runGraphileMigrate(["migrate", "--forceActions"], urls);
  return urls;
}

async function createRolesAndDatabase(urls: DatabaseUrls): Promise<void> {
  const rolesSql = await readFile(path.join(projectRoot, "sql/cluster/roles.sql"), "utf8");
  const maintenance = new pg.Client({ connectionString: urls.maintenance });
  await maintenance.connect();
  try {
    await maintenance.query("select set_config('rtc.owner_password', $1, false), set_config('rtc.authenticator_password', $2, false)", [
      config.ownerPassword,
      config.authenticatorPassword,
    ]);
    await maintenance.query(rolesSql);
    const name = pg.escapeIdentifier(urls.databaseName);
    const { rowCount } = await maintenance.query("select 1 from pg_database where datname = $1", [urls.databaseName]);
    if (rowCount === 0) {
      await maintenance.query(`create database ${name} owner rtc_owner encoding 'UTF8' template template0`);
    } else {
      await maintenance.query(`alter database ${name} owner to rtc_owner`);
    }
    await maintenance.query(`revoke all on database ${name} from public`);
    await maintenance.query(`grant connect on database ${name} to rtc_authenticator`);
  } finally {
    await maintenance.end();
  }
}

/** Runs the graphile-migrate CLI with the connection strings it expects (see .gmrc). */
export async function runGraphileMigrate(args: string[], urls: DatabaseUrls): Promise<string> {
  const cli = path.join(path.dirname(createRequire(import.meta.url).resolve("graphile-migrate/package.json")), "dist/cli.js");
  const shadow = new URL(urls.owner);
  shadow.pathname = `/${encodeURIComponent(`${urls.databaseName}_shadow`)}`;
  const { stdout, stderr } = await promisify(execFile)(process.execPath, [cli, ...args], {
    cwd: projectRoot,
    env: {
      ...process.env,
      DATABASE_URL: urls.owner,
      SHADOW_DATABASE_URL: shadow.toString(),
      ROOT_DATABASE_URL: urls.maintenance,
    },
  });
  return stdout + stderr;
}

