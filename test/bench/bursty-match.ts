/**
 * Matchmaking under bursts with several worker processes (npm run
 * bench:match): 3 worker processes on a throwaway system, 400 users entering
 * the queue in bursts of 50 every 0.5 s; the time from each user's queued_at
 * to the start of their call (both database clock).
 */
import pg from "pg";
import { startWorkerProcess } from "../support/processes.ts";
import { createQueueUsers, joinInBursts, waitsToMatch } from "../support/queue-users.ts";
import { percentile, printTable, startBenchSystem } from "./support.ts";

const WORKER_PROCESSES = 3;
const USERS = 400;
const BURST = 50;
const BURST_INTERVAL_MS = 500;
const RUNS = 3;

const system = await startBenchSystem({ api: "none", worker: false });
const workers = await Promise.all(Array.from({ length: WORKER_PROCESSES }, () => startWorkerProcess(system.urls.owner)));
const owner = new pg.Pool({ connectionString: system.urls.owner, max: 2 });
const api = new pg.Pool({ connectionString: system.urls.authenticator, max: 10 });
try {
  const rows: string[][] = [["run", "matched", "p50", "p99", "max"]];
  for (let run = 1; run <= RUNS; run++) {
    const users = await createQueueUsers(owner, `burst${run}_`, USERS);
    const queuedAt = await joinInBursts(api, users, BURST, BURST_INTERVAL_MS);
    const deadline = Date.now() + 90_000;
    let waits = await waitsToMatch(owner, queuedAt);
    while (waits.length < USERS && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      waits = await waitsToMatch(owner, queuedAt);
    }
    rows.push([String(run), `${waits.length}/${USERS}`, ...[50, 99, 100].map((p) => percentile(waits, p).toFixed(0))]);
  }
  printTable(
    `Bursty joins, ${WORKER_PROCESSES} worker processes: ${USERS} users in bursts of ${BURST} every ${BURST_INTERVAL_MS} ms (ms from queued_at to the call)`,
    rows,
  );
} finally {
  await api.end();
  await owner.end();
  await Promise.all(workers.map((worker) => worker.stop()));
  await system.stop();
}
