/**
 * The matchmaker: reads the queue, computes pairs (./matchmaking/pairing.ts)
 * and writes each with app_private.create_match, which re-checks every rule
 * under both users' locks (transaction-scoped advisory locks, the first step
 * of the lock order in sql/app_private/participants.sql), so a pair can never
 * be written twice. Scheduled by enter_queue (one job for a burst of joins)
 * and every minute.
 *
 * One run at a time, whatever the number of worker processes: concurrent
 * runs would propose the same pairs, and all but one would lose them. A run
 * holds the matchmaker's session advisory lock (MATCHMAKER_LOCK); a run that
 * finds it taken waits for it (it was queued for users who joined after the
 * other run read the queue) and after MAX_WAIT_MS schedules itself again
 * instead. A run reads the queue again
 * while a pair it proposed could not be made (someone left or changed
 * meanwhile, which may free a partner for someone else), up to MAX_PASSES,
 * so a pair that can be matched does not wait for the next join or the
 * minute's run.
 */
import type { PoolClient } from "pg";
import type { JobHelpers, Task } from "graphile-worker";
import { config } from "../../src/config.ts";
import { pairQueue, type Gender, type QueueEntry } from "../matchmaking/pairing.ts";

interface QueueRow {
  user_id: string;
  role: Gender;
  intent: string;
  age: number;
  age_min: number | null;
  age_max: number | null;
  same_country_only: boolean;
  country: string | null;
  city: string | null;
  queued_at: Date;
}

/** The key of the matchmaker's advisory lock, an SQL expression (a session lock: freed if its worker dies). */
export const MATCHMAKER_LOCK = "hashtextextended('rtc:match_queue', 0)";
const MAX_WAIT_MS = 2000;
const WAIT_STEP_MS = 10;
/** Connections that write a run's pairs side by side. */
export const WRITE_LANES = 3;
/** Passes of one run while proposals fail (a pair that keeps failing is left to the next run). */
const MAX_PASSES = 3;

export const matchQueue: Task<"match_queue"> = async (_payload, helpers) => {
  await helpers.withPgClient(async (client) => {
    if (!(await takeMatchmakerLock(client))) {
      await scheduleAnotherRun(client);
      return;
    }
    try {
      let pass = 1;
      while ((await matchOnce(client, helpers)) > 0 && pass < MAX_PASSES) pass++;
    } finally {
      await client.query(`select pg_advisory_unlock(${MATCHMAKER_LOCK})`);
    }
  });
};

async function takeMatchmakerLock(client: PoolClient): Promise<boolean> {
  for (let waited = 0; waited <= MAX_WAIT_MS; waited += WAIT_STEP_MS) {
    const { rows } = await client.query<{ locked: boolean }>(`select pg_try_advisory_lock(${MATCHMAKER_LOCK}) as locked`);
    if (rows[0]!.locked) return true;
    await new Promise((resolve) => setTimeout(resolve, WAIT_STEP_MS));
  }
  return false;
}

/** The same job key as enter_queue's: joins meanwhile and this make one run. */
async function scheduleAnotherRun(client: PoolClient): Promise<void> {
  await client.query("select app_private.add_job('match_queue', run_at := now() + interval '100 milliseconds', job_key := 'match_queue')");
}

/** One pass over the queue; returns how many proposed pairs could not be made. */
async function matchOnce(client: PoolClient, helpers: JobHelpers): Promise<number> {
  const queue = await client.query<QueueRow>("select * from app_private.queue_snapshot()");
  if (queue.rows.length < 2) return 0;
  const exclusions = await client.query<{ user_a: string; user_b: string }>("select * from app_private.queue_exclusions()");
  const excluded = new Set(exclusions.rows.flatMap((row) => [`${row.user_a}:${row.user_b}`, `${row.user_b}:${row.user_a}`]));

  const pairs = pairQueue(queue.rows.map(toQueueEntry), {
    now: Date.now(),
    relaxSoftPreferencesAfterMs: config.matchmaking.relaxAfterSeconds * 1000,
    isExcluded: (maleId, femaleId) => excluded.has(`${maleId}:${femaleId}`),
  });

  // One statement (so one transaction) per pair, holding the locks of its two
  // users only; the pairs are disjoint, so WRITE_LANES connections write them
  // side by side without waiting for each other.
  const lanes = Array.from({ length: WRITE_LANES }, (_, lane) => pairs.filter((_, i) => i % WRITE_LANES === lane));
  const failures = await Promise.all(
    lanes.map((lanePairs) =>
      helpers.withPgClient(async (laneClient) => {
        let failed = 0;
        for (const pair of lanePairs) {
          const { rows } = await laneClient.query<{ call_id: string | null }>("select app_private.create_match($1, $2) as call_id", [pair.maleId, pair.femaleId]);
          if (rows[0]!.call_id === null) failed++;
        }
        return failed;
      }),
    ),
  );
  return failures.reduce((sum, failed) => sum + failed, 0);
}

function toQueueEntry(row: QueueRow): QueueEntry {
  return {
    userId: row.user_id,
    role: row.role,
    intent: row.intent,
    age: row.age,
    ageMin: row.age_min,
    ageMax: row.age_max,
    sameCountryOnly: row.same_country_only,
    country: row.country,
    city: row.city,
    queuedAt: row.queued_at.getTime(),
  };
}
