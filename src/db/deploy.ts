/**
 * The schema deploy (`npm run db:migrate`), as the owner role: graphile-worker's
 * own schema, then in ONE transaction the committed migrations that have not
 * run and every file of sql/ listed in .gmrc, recording a hash of all of it.
 * When the recorded hash is the code's, nothing runs and no lock is taken
 * (one read of rtc_deploy.applied); so restarting many processes on an
 * up-to-date database disturbs nobody. A deploy waits at most LOCK_TIMEOUT
 * for each lock (a long reader on a table it must change), then rolls back
 * and tries again, so it never queues its neighbours behind it for long.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import pg from "pg";
import { runMigrations } from "graphile-worker";
import { getSettingsFromJSON } from "graphile-migrate/dist/commands/_common.js";
import { parseSettings, isSqlActionSpec } from "graphile-migrate/dist/settings.js";
import { getAllMigrations, _migrateMigrationSchema } from "graphile-migrate/dist/migration.js";
import { calculateHash } from "graphile-migrate/dist/hash.js";
import { projectRoot } from "../config.ts";
import { quietWorkerLogger } from "../../worker/logger.ts";

const LOCK_TIMEOUT = "2s";
const ATTEMPTS = 5;
/** graphile-migrate's own advisory lock: `gm` commands and a deploy never run at once. */
const MIGRATE_LOCK = "4727445306447283";
const LOCK_NOT_AVAILABLE = "55P03";

interface Migration {
  filename: string;
  hash: string;
  previousHash: string | null;
  body: string;
}

export interface DeployPlan {
  /** What the code would deploy: graphile-worker's version, the committed migrations, sql/. */
  hash: string;
  migrations: Migration[];
  sqlFiles: Array<{ file: string; body: string }>;
}

export type DeployOutcome = { changed: false } | { changed: true; migrations: string[]; sqlFiles: number };

/** Reads .gmrc, the committed migrations (their hash chain checked) and the sql/ files. */
export async function deployPlan(ownerUrl: string): Promise<DeployPlan> {
  const settings = await parseSettings({ ...(await getSettingsFromJSON(path.join(projectRoot, ".gmrc"))), connectionString: ownerUrl });
  const migrations = (await getAllMigrations(settings)).map(({ filename, hash, previousHash, body, realFilename }) => {
    if (calculateHash(body, previousHash) !== hash) throw new Error(`migrations/committed/${realFilename} was edited after it was committed`);
    return { filename, hash, previousHash, body };
  });
  const sqlFiles = await Promise.all(
    (settings.afterAllMigrations ?? []).filter(isSqlActionSpec).map(async (action) => {
      const file = path.relative(projectRoot, path.resolve(settings.migrationsFolder, action.file));
      return { file, body: await readFile(path.join(projectRoot, file), "utf8") };
    }),
  );
  const digest = createHash("sha256").update(`graphile-worker ${workerVersion()}\n`);
  for (const migration of migrations) digest.update(`migration ${migration.filename} ${migration.hash}\n`);
  for (const { file, body } of sqlFiles) digest.update(`file ${file} ${body.length}\n${body}\n`);
  return { hash: digest.digest("hex"), migrations, sqlFiles };
}

/** graphile-worker's version: its schema is deployed again when it changes. */
function workerVersion(): string {
  const main = createRequire(import.meta.url).resolve("graphile-worker"); // <package>/dist/index.js
  return JSON.parse(readFileSync(path.join(path.dirname(main), "..", "package.json"), "utf8")).version;
}

/** The hash of the last deploy, or null for a database never deployed. */
export async function appliedHash(client: pg.ClientBase): Promise<string | null> {
  const { rows } = await client.query<{ present: boolean }>("select to_regclass('rtc_deploy.applied') is not null as present");
  if (!rows[0]!.present) return null;
  return (await client.query<{ hash: string }>("select hash from rtc_deploy.applied")).rows[0]?.hash ?? null;
}

/** Whether the database runs the schema of this code (a read, no lock). */
export async function isDeployed(ownerUrl: string): Promise<boolean> {
  const plan = await deployPlan(ownerUrl);
  return withClient(ownerUrl, async (client) => (await appliedHash(client)) === plan.hash);
}

export interface DeployOptions {
  log?: (line: string) => void;
  /** How long to wait for each lock before rolling back (a Postgres interval). */
  lockTimeout?: string;
  attempts?: number;
}

export async function deploy(ownerUrl: string, options: DeployOptions = {}): Promise<DeployOutcome> {
  const { log = () => {}, lockTimeout = LOCK_TIMEOUT, attempts = ATTEMPTS } = options;
  const plan = await deployPlan(ownerUrl);
  if (await withClient(ownerUrl, async (client) => (await appliedHash(client)) === plan.hash)) return { changed: false };
  await runMigrations({ connectionString: ownerUrl, logger: quietWorkerLogger });
  for (let attempt = 1; ; attempt++) {
    try {
      return await withClient(ownerUrl, (client) => deployInOneTransaction(client, plan, lockTimeout));
    } catch (error) {
      if ((error as pg.DatabaseError).code !== LOCK_NOT_AVAILABLE || attempt === attempts) throw error;
      log(`A lock was not free within ${lockTimeout} (a long transaction?): rolled back, trying again (${attempt}/${attempts - 1}).`);
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    }
  }
}

async function deployInOneTransaction(client: pg.ClientBase, plan: DeployPlan, lockTimeout: string): Promise<DeployOutcome> {
  await client.query("begin");
  try {
    await client.query("select set_config('lock_timeout', $1, true)", [lockTimeout]);
    await client.query("select pg_advisory_xact_lock($1)", [MIGRATE_LOCK]);
    if ((await appliedHash(client)) === plan.hash) {
      await client.query("commit");
      return { changed: false }; // another process deployed it meanwhile
    }
    await _migrateMigrationSchema(client as never, { manageGraphileMigrateSchema: true } as never); // graphile-migrate's own bookkeeping tables
    const { rows } = await client.query<{ filename: string }>("select filename from graphile_migrate.migrations order by filename desc limit 1");
    const last = rows[0]?.filename;
    const pending = plan.migrations.filter((migration) => last === undefined || migration.filename > last);
    for (const migration of pending) {
      await client.query(migration.body);
      await client.query("insert into graphile_migrate.migrations (hash, previous_hash, filename) values ($1, $2, $3)", [
        migration.hash,
        migration.previousHash,
        migration.filename,
      ]);
    }
    for (const { body } of plan.sqlFiles) await client.query(body);
    await client.query(`
      create schema if not exists rtc_deploy;
      create table if not exists rtc_deploy.applied (hash text not null, applied_at timestamptz not null default now());
      comment on schema rtc_deploy is 'What npm run db:migrate last applied (src/db/deploy.ts).';
      delete from rtc_deploy.applied;`);
    await client.query("insert into rtc_deploy.applied (hash) values ($1)", [plan.hash]);
    await client.query("commit");
    return { changed: true, migrations: pending.map((migration) => migration.filename), sqlFiles: plan.sqlFiles.length };
  } catch (error) {
    await client.query("rollback");
    throw error;
  }
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => {}); // the query in progress reports it
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
