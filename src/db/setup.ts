/**
 * Setting a database up:
 *   - the one-time cluster set-up, as a superuser (`npm run db:setup`): the
 *     roles of sql/cluster/roles.sql and the database, owned by rtc_owner;
 *   - the schema deploy, as rtc_owner (`npm run db:migrate`, ./deploy.ts).
 * setupDatabase does both: what the embedded default, the tests and the
 * benchmarks use. Running either again changes nothing.
 */
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import pg from "pg";
import { config, projectRoot } from "../config.ts";
import { deploy } from "./deploy.ts";
import { databaseUrls, type ClusterUrls } from "./urls.ts";

const ROLES = ["rtc_owner", "rtc_authenticator", "rtc_visitor", "rtc_user", "rtc_admin"];

export async function setupDatabase(superuserUrl: string): Promise<ClusterUrls> {
  const { urls } = await setupCluster(superuserUrl);
  await deploy(urls.owner);
  return urls;
}

/** Creates what is missing of the roles and the database; returns what it did, one line each. */
export async function setupCluster(superuserUrl: string): Promise<{ urls: ClusterUrls; report: string[] }> {
  const urls = databaseUrls(superuserUrl);
  const report: string[] = [];
  const rolesSql = await readFile(path.join(projectRoot, "sql/cluster/roles.sql"), "utf8");
  const maintenance = new pg.Client({ connectionString: urls.maintenance });
  await maintenance.connect();
  try {
    const existing = await maintenance.query<{ rolname: string }>("select rolname from pg_roles where rolname = any($1)", [ROLES]);
    const created = ROLES.filter((role) => !existing.rows.some((row) => row.rolname === role));
    await maintenance.query("select set_config('rtc.owner_password', $1, false), set_config('rtc.authenticator_password', $2, false)", [
      config.ownerPassword,
      config.authenticatorPassword,
    ]);
    await maintenance.query(rolesSql);
    report.push(created.length ? `Created the roles ${created.join(", ")}.` : `The roles ${ROLES.join(", ")} exist.`);
    report.push("Set the passwords of rtc_owner and rtc_authenticator (DATABASE_OWNER_PASSWORD, DATABASE_AUTHENTICATOR_PASSWORD).");
    const name = pg.escapeIdentifier(urls.databaseName);
    const { rowCount } = await maintenance.query("select 1 from pg_database where datname = $1", [urls.databaseName]);
    if (rowCount === 0) {
      await maintenance.query(`create database ${name} owner rtc_owner encoding 'UTF8' template template0`);
      report.push(`Created the database "${urls.databaseName}", owned by rtc_owner.`);
    } else {
      await maintenance.query(`alter database ${name} owner to rtc_owner`);
      report.push(`The database "${urls.databaseName}" exists; its owner is rtc_owner.`);
    }
    await maintenance.query(`revoke all on database ${name} from public`);
    await maintenance.query(`grant connect on database ${name} to rtc_authenticator`);
    report.push("Only rtc_owner and rtc_authenticator may connect to it.");
  } finally {
    await maintenance.end();
  }
  return { urls, report };
}

/**
 * Runs the graphile-migrate CLI with the connection strings it expects (see
 * .gmrc), its output streamed as it comes (`gm watch` runs until stopped).
 * Resolves with its exit code.
 */
export function graphileMigrate(args: string[], urls: ClusterUrls): Promise<number> {
  const cli = path.join(path.dirname(createRequire(import.meta.url).resolve("graphile-migrate/package.json")), "dist/cli.js");
  const shadow = new URL(urls.owner);
  shadow.pathname = `/${encodeURIComponent(`${urls.databaseName}_shadow`)}`;
  const child = spawn(process.execPath, [cli, ...args], {
    cwd: projectRoot,
    stdio: "inherit",
    env: {
      ...process.env,
      DATABASE_URL: urls.owner,
      SHADOW_DATABASE_URL: shadow.toString(),
      ROOT_DATABASE_URL: urls.maintenance,
    },
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}
