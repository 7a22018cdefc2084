/**
 * The matchmaker: reads the queue, computes pairs (./matchmaking/pairing.ts)
 * and writes each with app_private.create_match, which re-checks every rule
 * under row locks, so that concurrent runs never put a user in two calls.
 * Scheduled by enter_queue (one job for a burst of joins) and every minute.
 */
import type { Task } from "graphile-worker";
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

export const matchQueue: Task<"match_queue"> = async (_payload, helpers) => {
  const queue = await helpers.query<QueueRow>("select * from app_private.queue_snapshot()");
  if (queue.rows.length < 2) return;
  const exclusions = await helpers.query<{ user_a: string; user_b: string }>("select * from app_private.queue_exclusions()");
  const excluded = new Set(exclusions.rows.flatMap((row) => [`${row.user_a}:${row.user_b}`, `${row.user_b}:${row.user_a}`]));

  const pairs = pairQueue(queue.rows.map(toQueueEntry), {
    now: Date.now(),
    relaxSoftPreferencesAfterMs: config.matchmaking.relaxAfterSeconds * 1000,
    isExcluded: (maleId, femaleId) => excluded.has(`${maleId}:${femaleId}`),
  });

  // One statement (so one transaction) per pair: each holds the locks of its
  // two users only, in id order, so concurrent runs never deadlock, and a
  // pair that can no longer be made costs nothing to the others.
  await helpers.withPgClient(async (client) => {
    for (const pair of pairs) await client.query("select app_private.create_match($1, $2)", [pair.maleId, pair.femaleId]);
  });
};

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
