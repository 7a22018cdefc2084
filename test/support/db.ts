/**
 * Database helpers for tests: every test body runs in a transaction that is
 * rolled back, as the superuser until it switches to an API role with
 * `actAs`, which applies settings exactly as PostGraphile applies pgSettings.
 */
import pg from "pg";
import { databaseUrls, type DatabaseUrls } from "../../src/db/urls.ts";
import { workerDatabaseName } from "./names.ts";

export function testDatabaseUrls(): DatabaseUrls {
  const template = process.env.TEST_SUPERUSER_URL;
  if (!template) throw new Error("TEST_SUPERUSER_URL is not set: run the tests with `npm test`");
  return databaseUrls(template.replace("{database}", workerDatabaseName(process.env.JEST_WORKER_ID ?? "1")));
}

let pool: pg.Pool | undefined;

export function superuserPool(): pg.Pool {
  pool ??= new pg.Pool({ connectionString: testDatabaseUrls().superuser, max: 4 });
  return pool;
}

export async function closeTestPools(): Promise<void> {
  await pool?.end();
  pool = undefined;
}

/** Runs `fn` in a transaction that is always rolled back. */
export async function withRollback<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await superuserPool().connect();
  await client.query("begin");
  try {
    return await fn(client);
  } finally {
    await client.query("rollback");
    client.release();
  }
}

/**
 * Switches the transaction to an API role with the given settings, the way
 * PostGraphile applies `pgSettings` (set_config(..., true) for each key,
 * `role` included). Undo with `actAsSuperuser`.
 */
export async function actAs(client: pg.ClientBase, pgSettings: { role: string } & Record<string, string>): Promise<void> {
  const entries = Object.entries(pgSettings);
  await client.query(
    `select ${entries.map((_, i) => `set_config($${2 * i + 1}, $${2 * i + 2}, true)`).join(", ")}`,
    entries.flat(),
  );
}

export async function actAsSuperuser(client: pg.ClientBase): Promise<void> {
  await client.query("reset role");
}

/** Runs `sql` inside a savepoint and returns the error it raised (or fails the test). */
export async function expectSqlError(client: pg.ClientBase, sql: string, values: unknown[] = []): Promise<pg.DatabaseError> {
  await client.query("savepoint expect_error");
  try {
    await client.query(sql, values);
  } catch (error) {
    await client.query("rollback to savepoint expect_error");
    return error as pg.DatabaseError;
  }
  throw new Error(`Expected an error from: ${sql}`);
}
