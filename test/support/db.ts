/**
 * Database helpers for tests: every test body runs in a transaction that is
 * rolled back, as the superuser until it switches to an API role with
 * `actAs`, which applies settings exactly as PostGraphile applies pgSettings.
 */
import type { IncomingMessage } from "node:http";
import pg from "pg";
import { databaseUrls, type ClusterUrls } from "../../src/db/urls.ts";
import { identify, type PgSettings } from "../../src/server/auth.ts";
import { workerDatabaseName } from "./names.ts";

export function testDatabaseUrls(): ClusterUrls {
  const template = process.env.TEST_SUPERUSER_URL;
  if (!template) throw new Error("TEST_SUPERUSER_URL is not set: run the tests with `npm test`");
  return databaseUrls(template.replace("{database}", workerDatabaseName(process.env.JEST_WORKER_ID ?? "1")));
}

let pool: pg.Pool | undefined;

export function superuserPool(): pg.Pool {
  if (!pool) {
    // A test file's own afterAll may still query after after-env.ts closed the
    // pool: then a new one is made, which must neither keep the worker alive
    // nor crash it when Postgres stops at the end of the run.
    pool = new pg.Pool({ connectionString: testDatabaseUrls().superuser, max: 4, allowExitOnIdle: true });
    pool.on("error", () => {});
  }
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

/**
 * Acts as the holder of a bearer token (or as a visitor, for null): the
 * settings come from the API server's own code (src/server/auth.ts).
 */
export async function actAsToken(client: pg.ClientBase, token: string | null): Promise<PgSettings> {
  await actAsSuperuser(client); // the look-up runs as the server's own role, not as the previous user
  const request = { headers: {}, socket: { remoteAddress: "127.0.0.1" } } as IncomingMessage;
  const lookup = async (bearer: string) => (await client.query("select * from app_private.authenticate($1)", [bearer])).rows[0];
  const identity = await identify(request, token && `Bearer ${token}`, lookup);
  if (!identity) throw Object.assign(new Error("invalid session"), { extensions: { code: "RSESS" } });
  await actAs(client, identity.pgSettings);
  return identity.pgSettings;
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
