/**
 * Worker processes that die or run side by side (each a child process on the
 * test database; TEST_DATABASE_URL works the same):
 * - kill -9 of a worker holding a job: another worker releases the job
 *   within WORKER_RELEASE_DEAD_AFTER_SECONDS (2 here) and runs it, and the
 *   superseded match_queue job does not linger;
 * - three workers and bursts of joins: every user is matched at once, not
 *   by the once-a-minute run;
 * - SIGTERM stops a worker process by itself.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { superuserPool, testDatabaseUrls } from "../support/db.ts";
import { startWorkerProcess as startProcess, waitFor, type ChildApp } from "../support/processes.ts";
import { createQueueUsers, joinInBursts, waitsToMatch } from "../support/queue-users.ts";
import { MATCHMAKER_LOCK } from "../../worker/tasks/match-queue.ts";

const RELEASE_AFTER_SECONDS = 2;
const prefix = `wf_${randomBytes(3).toString("hex")}_`;
const workers: ChildApp[] = [];

async function startWorkerProcess(): Promise<ChildApp> {
  const child = await startProcess(testDatabaseUrls().owner, { WORKER_RELEASE_DEAD_AFTER_SECONDS: String(RELEASE_AFTER_SECONDS) });
  workers.push(child);
  return child;
}

/** The match_queue job that joins schedule (its key), and every match_queue job queued since `since`: other test files may leave theirs behind, the crontab's among them. */
async function matchQueueJobs(since: Date): Promise<Array<{ id: string; locked_by: string | null; key: string | null }>> {
  const { rows } = await superuserPool().query(
    "select id, locked_by, key from graphile_worker.jobs where task_identifier = 'match_queue' and (key is not null or created_at >= $1) order by id",
    [since],
  );
  return rows;
}

afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.stop()));
  await superuserPool().query("delete from user_schema.users where username like $1", [`${prefix}%`]);
});

test("kill -9 of a worker holding a job: the job is released and runs again within the bound", async () => {
  // The matchmaker lock, held here, keeps the victim's match_queue run waiting.
  const holder = new pg.Client({ connectionString: testDatabaseUrls().superuser });
  await holder.connect();
  try {
    await holder.query(`select pg_advisory_lock(${MATCHMAKER_LOCK})`);
    const { held, since } = await strandMatchQueueJob();
    // A join now queues a new run: the dead worker's job loses its key to it.
    await superuserPool().query("select app_private.add_job('match_queue', job_key := 'match_queue')");
    expect((await matchQueueJobs(since)).find((job) => job.id === held.id)).toMatchObject({ key: null, locked_by: held.locked_by });

    await Promise.all([startWorkerProcess(), startWorkerProcess(), startWorkerProcess()]);
    await holder.query(`select pg_advisory_unlock(${MATCHMAKER_LOCK})`);
    const released = Date.now();
    await waitFor("both match_queue jobs to run", async () => (await matchQueueJobs(since)).length === 0, 15_000);
    expect(Date.now() - released).toBeLessThan((RELEASE_AFTER_SECONDS + 5) * 1000);
  } finally {
    await holder.end();
  }
});

/**
 * A worker process takes a match_queue job and is killed (-9) while it holds
 * it (waiting for the matchmaker lock). A run gives up on the lock after two
 * seconds and completes its job: should the kill come later than that (a busy
 * machine), the scenario starts again with a new worker, at most three times.
 */
async function strandMatchQueueJob(): Promise<{ held: { id: string; locked_by: string | null }; since: Date }> {
  const since = (await superuserPool().query<{ now: Date }>("select clock_timestamp() as now")).rows[0]!.now;
  for (let attempt = 1; ; attempt++) {
    const victim = await startWorkerProcess();
    await superuserPool().query("select app_private.add_job('match_queue', job_key := 'match_queue')");
    const held = await waitFor("the victim to take the job", async () => {
      const jobs = await matchQueueJobs(since);
      return jobs.length === 1 && jobs[0]!.locked_by !== null ? jobs[0] : undefined;
    });
    const exited = new Promise((resolve) => victim.process.once("exit", resolve));
    victim.process.kill("SIGKILL");
    await exited;
    // What it had already sent (completing the job, had it just given up) still runs: let that finish first.
    await new Promise((resolve) => setTimeout(resolve, 500));
    if ((await matchQueueJobs(since)).some((job) => job.id === held!.id)) return { held: held!, since };
    if (attempt === 3) throw new Error("the worker completed its job before it was killed, three times");
  }
}

// How fast is for npm run bench:match to measure (p99 under 0.5 s there); this
// test asks only that the joins themselves get everyone matched, long before
// the matchmaker's run of the minute would.
test("three worker processes, bursts of joins: every user is matched, without the minute's run", async () => {
  const running = workers.filter((worker) => worker.exitCode() === "running").length;
  await Promise.all(Array.from({ length: 3 - running }, startWorkerProcess));
  const users = await createQueueUsers(superuserPool(), prefix, 200);
  const api = new pg.Pool({ connectionString: testDatabaseUrls().authenticator, max: 8 });
  try {
    const queuedAt = await joinInBursts(api, users, 50, 500);
    const waits = await waitFor("everyone to be matched", async () => {
      const matched = await waitsToMatch(superuserPool(), queuedAt);
      return matched.length === users.length && matched;
    }, 30_000);
    expect(Math.max(...waits)).toBeLessThan(30_000);
  } finally {
    await api.end();
  }
});

test("SIGTERM stops a worker process gracefully: it exits by itself, with code 0", async () => {
  const worker = workers.find((candidate) => candidate.exitCode() === "running") ?? (await startWorkerProcess());
  await worker.stop(10_000);
  expect(worker.exitCode()).toBe(0);
});
