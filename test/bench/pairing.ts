/**
 * Pairing benchmark: random queues of 10,000 and 100,000 users, 3 runs each,
 * median wall time of pairQueue alone (building the queue is not timed).
 *
 *   npm run bench:match   (this, then join-to-match.ts)
 *
 * The queues are seeded, so every run sees the same data. "heap used" is the
 * V8 heap right after the pairing returned (queue + pairing's working set +
 * its garbage), the largest of the runs; the heap is collected before each
 * run when gc can be exposed.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { pairQueue, type PairingOptions, type QueueEntry } from "../../worker/matchmaking/pairing.ts";
import { median, printTable } from "./support.ts";

const SIZES = [10_000, 100_000];
const RUNS = 3;
const NOW = Date.UTC(2025, 0, 1, 12);
const MINUTE = 60_000;
const INTENTS = ["casual", "friends", "serious", "networking"];
const COUNTRIES = ["PT", "ES", "FR", "DE", "IT", "NL", "BE", "IE", "PL", "SE", "US", "BR"];
const CITIES_PER_COUNTRY = 8;

/** mulberry32: small, fast, seedable. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomQueue(size: number, seed: number): QueueEntry[] {
  const rand = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const entries: QueueEntry[] = [];
  for (let i = 0; i < size; i++) {
    const age = 18 + Math.floor(rand() * rand() * 60); // skewed young, 18..77
    const country = rand() < 0.05 ? null : pick(COUNTRIES);
    entries.push({
      userId: `u${seed}-${i}`,
      role: rand() < 0.5 ? "male" : "female",
      intent: pick(INTENTS),
      age,
      ageMin: rand() < 0.6 ? Math.max(18, age - Math.floor(rand() * 12)) : null,
      ageMax: rand() < 0.6 ? age + Math.floor(rand() * 15) : null,
      sameCountryOnly: rand() < 0.25,
      country,
      city: country === null || rand() < 0.2 ? null : `${country}-city-${Math.floor(rand() * CITIES_PER_COUNTRY)}`,
      queuedAt: NOW - Math.floor(rand() * 10 * MINUTE),
    });
  }
  return entries;
}

/** About 2% of all pairs are excluded, decided by a hash so the answer is stable and cheap. */
function isExcluded(maleId: string, femaleId: string): boolean {
  return (fnv1a(femaleId, fnv1a(maleId, 2166136261)) >>> 0) % 50 === 0;
}

function fnv1a(text: string, hash: number): number {
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
  return hash;
}

const options: PairingOptions = { now: NOW, relaxSoftPreferencesAfterMs: 3 * MINUTE, isExcluded };

/** `global.gc` without needing `--expose-gc` on the command line. */
function exposeGc(): (() => void) | undefined {
  try {
    setFlagsFromString("--expose-gc");
    return runInNewContext("gc") as () => void;
  } catch {
    return undefined;
  }
}

const gc = exposeGc();
pairQueue(randomQueue(10_000, 999), options); // warm the JIT up, as in a long-running worker

const rows: string[][] = [["queue size", "pairs made", "median ms", "heap used MB"]];
for (const size of SIZES) {
  const queue = randomQueue(size, size);
  const times: number[] = [];
  let pairsMade = 0;
  let heapUsed = 0;
  for (let run = 0; run < RUNS; run++) {
    gc?.();
    const start = performance.now();
    const pairs = pairQueue(queue, options);
    times.push(performance.now() - start);
    heapUsed = Math.max(heapUsed, process.memoryUsage().heapUsed);
    pairsMade = pairs.length;
  }
  rows.push([size.toLocaleString("en"), pairsMade.toLocaleString("en"), median(times).toFixed(1), (heapUsed / 2 ** 20).toFixed(1)]);
}

printTable("Pairing (pairQueue alone, seeded random queues)", rows);
if (!gc) console.log("(gc could not be exposed: heap figures include earlier garbage)");
