/**
 * The API (`npm start` as a child process) outlives its database: Postgres
 * restarted, its LISTEN connections terminated, or hung. The process stays
 * up, /healthz goes 503 then 200, GraphQL answers RUNAV instead of hanging,
 * subscriptions end with RLIVE (the client subscribes again), an ended
 * session still closes its sockets, and no acknowledged write is lost.
 *
 * An existing server (TEST_DATABASE_URL) cannot be restarted by a test, so
 * this file always runs on an embedded Postgres of its own.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres, type RunningPostgres } from "../../src/db/embedded-postgres.ts";
import { setupDatabase } from "../../src/db/setup.ts";
import { liftAddressRateLimits } from "../support/rate-limits.ts";
import { graphqlClient, registerUser, type GraphQLClient, type GraphQLResponse } from "../support/api.ts";
import { openIdleSocket, subscribe, type EventStream } from "../support/ws.ts";
import { whenSubscribed } from "../support/live.ts";
import { freePort, startChild, waitFor, type ChildApp } from "../support/processes.ts";

const DATA_DIR = path.join(os.tmpdir(), `rtc-faults-${randomBytes(6).toString("hex")}`);
const INBOX = "subscription { userEvents { event } }";

let postgres: RunningPostgres;
let app: ChildApp;
let api: GraphQLClient;
let superuser: pg.Pool;
const streams: Array<EventStream<unknown>> = [];

beforeAll(async () => {
  postgres = await startEmbeddedPostgres({ dataDir: DATA_DIR, port: 0, persistent: false });
  const port = await freePort();
  await setupDatabase(postgres.superuserUrl("rtc_faults")); // db:setup and db:migrate: npm start on DATABASE_URL only runs
  app = await startChild("src/main.ts", { DATABASE_URL: postgres.superuserUrl("rtc_faults"), PORT: String(port), HOST: "127.0.0.1", GRAPHIQL: "false" }, /is up/);
  api = graphqlClient(`http://127.0.0.1:${port}`);
  superuser = new pg.Pool({ connectionString: postgres.superuserUrl("rtc_faults"), max: 2 });
  superuser.on("error", () => {});
  await liftAddressRateLimits(superuser);
}, 60_000);

afterAll(async () => {
  await Promise.all(streams.map((stream) => stream.close()));
  await app?.stop();
  await superuser?.end();
  await postgres?.stop();
});

function inbox(token: string): Promise<EventStream<unknown>> {
  const events = subscribe<unknown>(api.url, INBOX, token);
  streams.push(events);
  return whenSubscribed(events);
}

async function healthStatus(): Promise<number> {
  return (await fetch(`${api.url}/healthz`, { signal: AbortSignal.timeout(5000) })).status;
}

/** Polls /healthz until stopped; the statuses seen, in order (0: no answer within 5 s). */
function watchHealth(): { stop(): Promise<number[]> } {
  const seen: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      seen.push(await healthStatus().catch(() => 0));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return seen;
    },
  };
}

/** Registers users one after the other until stopped; the usernames whose registration was acknowledged, and the codes of the failures. */
function keepRegistering(): { stop(): Promise<{ acknowledged: string[]; failureCodes: Set<string | undefined> }> } {
  const acknowledged: string[] = [];
  const failureCodes = new Set<string | undefined>();
  let running = true;
  const loop = (async () => {
    while (running) {
      const username = `w_${randomBytes(5).toString("hex")}`;
      const response: GraphQLResponse = await api
        .gql(`mutation ($input: RegisterInput!) { register(input: $input) { result } }`, {
          input: { username, email: `${username}@example.com`, password: "correct horse battery", role: "male", displayName: "W", age: 30, intent: "casual" },
        })
        .catch((error: Error) => ({ errors: [{ message: error.message }] }));
      if (response.data?.register) acknowledged.push(username);
      else failureCodes.add(response.errors?.[0]?.extensions?.code);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { acknowledged, failureCodes };
    },
  };
}

async function registeredCount(usernames: string[]): Promise<number> {
  const { rows } = await superuser.query("select count(*)::int as n from user_schema.users where username = any($1)", [usernames]);
  return rows[0].n;
}

/** The codes a subscription ended with (GraphQL error codes, or the socket's close). */
function endCodes(stream: EventStream<unknown>): unknown[] {
  return stream.errors.flat().map((error) => (error as { extensions?: { code?: string } }).extensions?.code ?? error);
}

test("a Postgres restart under a live subscription and a writing client: the API stays up and recovers", async () => {
  const user = await registerUser(api, "female");
  const events = await inbox(user.token);
  const health = watchHealth();
  const writer = keepRegistering();
  await new Promise((resolve) => setTimeout(resolve, 300)); // some writes before

  await postgres.restart();
  await waitFor("/healthz 200 after the restart", async () => (await healthStatus()) === 200, 10_000).catch((error: Error) => {
    throw new Error(`${error.message}; the API process: ${app.exitCode()}, it printed:\n${app.output().slice(-3000)}`);
  });
  await new Promise((resolve) => setTimeout(resolve, 300)); // some writes after

  const { acknowledged, failureCodes } = await writer.stop();
  const statuses = await health.stop();
  expect(app.exitCode()).toBe("running");
  expect(statuses).toContain(503);
  expect(statuses.at(-1)).toBe(200);
  expect(await registeredCount(acknowledged)).toBe(acknowledged.length);
  expect([...failureCodes].filter((code) => code !== "RUNAV")).toEqual([]);
  await waitFor("the subscription to end", async () => events.errors.length > 0, 5000);
  expect(endCodes(events)).toEqual(["RLIVE"]);
  await inbox(user.token); // subscribing again works
});

test("terminating the API's LISTEN connections: the API stays up, subscriptions end with RLIVE", async () => {
  const user = await registerUser(api, "male");
  const events = await inbox(user.token);
  // PostGraphile's subscriber (its only statements are LISTEN and UNLISTEN), and the sessions_ended listener.
  const { rowCount } = await superuser.query(
    `select pg_terminate_backend(pid) from pg_stat_activity
      where usename = 'rtc_authenticator' and (query ~* '^(un)?listen' or application_name = 'rtc_api_listen_sessions_ended')`,
  );
  expect(rowCount).toBe(2);

  await waitFor("the subscription to end", async () => events.errors.length > 0, 5000);
  expect(endCodes(events)).toEqual(["RLIVE"]);
  expect(app.exitCode()).toBe("running");
  expect(await healthStatus()).toBe(200);
  await inbox(user.token);
});

test("a session that ends while the sessions_ended listener is away still closes its sockets", async () => {
  const user = await registerUser(api, "female");
  const events = await inbox(user.token);
  const idle = await openIdleSocket(api.url, user.token);
  try {
    // The listener cannot connect again as its role until the session has ended.
    await superuser.query("alter role rtc_authenticator connection limit 0");
    try {
      const { rowCount } = await superuser.query("select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'rtc_api_listen_sessions_ended'");
      expect(rowCount).toBe(1);
      await superuser.query("delete from user_schema.user_sessions where user_id = $1", [user.id]);
      await new Promise((resolve) => setTimeout(resolve, 300));
    } finally {
      await superuser.query("alter role rtc_authenticator connection limit -1");
    }
    // Its subscription ends at once (RSESS, on the user's own channel); every
    // socket of the session closes once the listener has caught up.
    await waitFor("the subscription to end", async () => events.errors.length > 0, 10_000);
    expect(events.errors).toEqual([[expect.objectContaining({ extensions: { code: "RSESS" } })]]);
    await waitFor("the idle socket to close", async () => idle.closeCodes.length > 0, 10_000);
    expect(idle.closeCodes).toEqual([4401]);
  } finally {
    await idle.close();
  }
});

test("a hung Postgres (SIGSTOP): /healthz answers 503 within its timeout, GraphQL answers RUNAV, both recover on SIGCONT", async () => {
  const postmaster = Number(readFileSync(path.join(DATA_DIR, "postmaster.pid"), "utf8").split("\n")[0]);
  const children = execFileSync("ps", ["-o", "pid=", "--ppid", String(postmaster)], { encoding: "utf8" }).trim().split(/\s+/).map(Number);
  const all = [postmaster, ...children];
  for (const pid of all) process.kill(pid, "SIGSTOP");
  try {
    const started = Date.now();
    expect(await healthStatus()).toBe(503);
    expect(Date.now() - started).toBeLessThan(4000);
    const response = await waitFor("GraphQL to answer RUNAV", async () => {
      const answer = await api.gql("{ currentUser { rowId } }");
      return answer.errors?.[0]?.extensions?.code === "RUNAV" && answer;
    }, 15_000);
    expect(response.errors![0]!.extensions!.code).toBe("RUNAV");
  } finally {
    for (const pid of all) process.kill(pid, "SIGCONT");
  }
  await waitFor("/healthz 200 after SIGCONT", async () => (await healthStatus()) === 200, 10_000);
  expect((await api.gql("{ currentUser { rowId } }")).data).toEqual({ currentUser: null });
  expect(app.exitCode()).toBe("running");
});
