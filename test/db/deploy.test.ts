/**
 * The schema deploy (src/db/deploy.ts, `npm run db:migrate`) and how `npm
 * start` treats a database that is not embedded: nothing new means no lock
 * at all, so a restart never queues readers; something new waits a bounded
 * time behind a long reader and applies in one transaction; the processes run
 * on role URLs alone and refuse a database whose schema is not theirs.
 */
import pg from "pg";
import { deploy } from "../../src/db/deploy.ts";
import { superuserPool, testDatabaseUrls } from "../support/db.ts";
import { freePort, startChild, waitFor } from "../support/processes.ts";

const MESSAGES = "communication_schema.messages";

/** A transaction that has read messages and stays open: a long reader. */
async function openReader(): Promise<pg.PoolClient> {
  const reader = await superuserPool().connect();
  await reader.query("begin");
  await reader.query(`select count(*) from ${MESSAGES}`);
  return reader;
}

/** Watches pg_locks until stopped: whether anyone asked for an ACCESS EXCLUSIVE lock on messages. */
function watchExclusiveLocks(): { stop(): Promise<boolean> } {
  let seen = false;
  let running = true;
  const watching = (async () => {
    while (running) {
      const { rows } = await superuserPool().query(
        `select 1 from pg_locks where relation = '${MESSAGES}'::regclass and mode = 'AccessExclusiveLock'`,
      );
      seen ||= rows.length > 0;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  return {
    async stop() {
      running = false;
      await watching;
      return seen;
    },
  };
}

/** A neighbour's read of messages, in milliseconds. */
async function neighbourRead(): Promise<number> {
  const started = Date.now();
  await superuserPool().query(`select count(*) from ${MESSAGES}`);
  return Date.now() - started;
}

test("on an up-to-date database a deploy (as at every restart) takes no ACCESS EXCLUSIVE lock and blocks no reader", async () => {
  const reader = await openReader();
  try {
    const watch = watchExclusiveLocks();
    const [outcome, neighbourMs] = await Promise.all([deploy(testDatabaseUrls().owner), neighbourRead()]);
    expect(await watch.stop()).toBe(false);
    expect(outcome).toEqual({ changed: false });
    expect(neighbourMs).toBeLessThan(1000);
  } finally {
    await reader.query("rollback");
    reader.release();
  }
});

test("a deploy with something new gives up within its lock timeout behind a long reader, then applies in one transaction", async () => {
  const owner = testDatabaseUrls().owner;
  await superuserPool().query("update rtc_deploy.applied set hash = 'an earlier release'");
  const reader = await openReader();
  try {
    const started = Date.now();
    const failed = deploy(owner, { lockTimeout: "300ms", attempts: 2 }).catch((error) => error);
    await new Promise((resolve) => setTimeout(resolve, 100));
    // A neighbour waits (queued behind the deploy's lock request) at most as long as the lock timeout.
    expect(await neighbourRead()).toBeLessThan(1500);
    expect((await failed).code).toBe("55P03");
    expect(Date.now() - started).toBeLessThan(5000);
    // Nothing half-done: the recorded hash is still the earlier one.
    expect((await superuserPool().query("select hash from rtc_deploy.applied")).rows).toEqual([{ hash: "an earlier release" }]);
  } finally {
    await reader.query("rollback");
    reader.release();
  }
  const outcome = await deploy(owner);
  expect(outcome).toMatchObject({ changed: true, migrations: [] });
  expect(await deploy(owner)).toEqual({ changed: false });
});

test("npm start runs on the role URLs alone (no superuser URL), and refuses a database whose schema is not this code's", async () => {
  const urls = testDatabaseUrls();
  const env = { DATABASE_URL: "", TEST_SUPERUSER_URL: "", TEST_DATABASE_URL: "", OWNER_DATABASE_URL: urls.owner, AUTH_DATABASE_URL: urls.authenticator };
  const port = await freePort();
  const app = await startChild("src/main.ts", { ...env, PORT: String(port), HOST: "127.0.0.1", GRAPHIQL: "false" }, /is up/, 60_000);
  try {
    // (The health probe answers 503 until its first check of the database has run.)
    await waitFor("a healthy API", async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200, 15_000);
    const connected = await superuserPool().query<{ usename: string }>(
      "select distinct usename from pg_stat_activity where datname = current_database() and usename like 'rtc_%'",
    );
    expect(connected.rows.map((row) => row.usename).sort()).toEqual(["rtc_authenticator", "rtc_owner"]);
  } finally {
    await app.stop();
  }

  const applied = (await superuserPool().query("select hash from rtc_deploy.applied")).rows[0].hash;
  await superuserPool().query("update rtc_deploy.applied set hash = 'an earlier release'");
  try {
    const refused = await startChild("src/main.ts", { ...env, PORT: String(await freePort()) }, /never/, 60_000).catch((error: Error) => error.message);
    expect(refused).toContain("exited (1)");
    expect(refused).toContain("npm run db:migrate");
  } finally {
    await superuserPool().query("update rtc_deploy.applied set hash = $1", [applied]);
  }
}, 90_000);
