/**
 * Starts graphile-worker on the project's task list and crontab, and looks
 * after the jobs of worker processes that die.
 *
 * A worker that is stopped (SIGTERM, Ctrl-C: `stop()`) finishes or releases
 * its jobs. One killed outright (kill -9, a lost host) cannot, and
 * graphile-worker 0.18, which has no worker heartbeat, leaves its jobs locked
 * for 4 hours; it offers `forceUnlockWorkers` for workers known to be gone.
 * So each process shows it is alive by holding a session advisory lock per
 * worker id on a connection of its own (Postgres frees the locks the moment
 * that connection ends; TCP keepalives asked of Postgres notice a vanished
 * host), and every process sweeps: jobs locked by a worker whose lock is free
 * on two sweeps in a row are released with forceUnlockWorkers and run again.
 * Sweeps run every quarter of `releaseDeadAfterSeconds`, so a dead worker's
 * jobs run again within it.
 */
import { EventEmitter } from "node:events";
import pg from "pg";
import { makeWorkerUtils, run, type WorkerEvents, type WorkerUtils } from "graphile-worker";
import { config } from "../src/config.ts";
import { PersistentConnection } from "../src/persistent-connection.ts";
import { crontab, taskList } from "./task-list.ts";
import { quietWorkerLogger } from "./logger.ts";
import { WRITE_LANES } from "./tasks/match-queue.ts";

export interface RunningWorker {
  stop(): Promise<void>;
}

export interface WorkerOptions {
  /** Jobs run at once by this process (default 2). */
  concurrency?: number;
  /** Jobs held by a worker process that died are released (and run again) within this time (default: config). */
  releaseDeadAfterSeconds?: number;
}

/** A live worker holds the advisory lock (LIVE_WORKER_LOCKS, hashtext(its worker id)). */
const LIVE_WORKER_LOCKS = 7_305_001;

export async function startWorker(ownerUrl: string, options: WorkerOptions = {}): Promise<RunningWorker> {
  const concurrency = options.concurrency ?? 2;
  const sweepEveryMs = ((options.releaseDeadAfterSeconds ?? config.worker.releaseDeadAfterSeconds) * 1000) / 4;
  // Our own pool: graphile-worker drops its error handlers from a pool it
  // made before the pool has closed, so a connection that Postgres ends
  // during shutdown would crash the process. Idle connections stay open, so a
  // job after a quiet spell does not wait for a new one.
  // Room for each running job, the matchmaker's extra write lanes, and the worker's own queries.
  const pgPool = new pg.Pool({ connectionString: ownerUrl, max: concurrency + WRITE_LANES + 1, idleTimeoutMillis: 0 });
  const ignore = () => {}; // the query that was using the connection reports the error
  pgPool.on("error", ignore);
  pgPool.on("connect", (client) => client.on("error", ignore));

  const liveness = await holdLivenessLocks(ownerUrl, sweepEveryMs);
  const events: WorkerEvents = new EventEmitter();
  events.on("worker:create", ({ worker }) => liveness.add(worker.workerId));
  // A job due later (a call's or a grace period's deadline) is found by polling: once a second, not every 2 s.
  const runner = await run({ pgPool, concurrency, taskList, crontab, logger: quietWorkerLogger, noHandleSignals: true, events, pollInterval: 1000 });
  const utils = await makeWorkerUtils({ pgPool, logger: quietWorkerLogger });
  const sweeper = sweepDeadWorkers(pgPool, utils, sweepEveryMs);
  process.on("unhandledRejection", survivePostgresOutage);
  return {
    async stop() {
      process.off("unhandledRejection", survivePostgresOutage);
      sweeper.stop();
      await runner.stop();
      await liveness.stop();
      await utils.release();
      await pgPool.end();
    },
  };
}

/** Holds one advisory lock per worker id of this process, taken again whenever its connection comes back. */
async function holdLivenessLocks(ownerUrl: string, sweepEveryMs: number) {
  const workerIds = new Set<string>();
  const take = (client: pg.Client, workerId: string) => client.query("select pg_advisory_lock($1, hashtext($2))", [LIVE_WORKER_LOCKS, workerId]);
  // Postgres notices a host that vanished (no FIN, no RST) after idle + 3 x interval.
  const keepaliveSeconds = String(Math.max(1, Math.floor(sweepEveryMs / 4000)));
  const connection = new PersistentConnection({
    connectionString: ownerUrl,
    name: "rtc_worker_liveness",
    async onConnect(client) {
      await client.query(
        "select set_config('tcp_keepalives_idle', $1, false), set_config('tcp_keepalives_interval', $1, false), set_config('tcp_keepalives_count', '3', false)",
        [keepaliveSeconds],
      );
      for (const workerId of workerIds) await take(client, workerId);
    },
  });
  await connection.start();
  return {
    add(workerId: string) {
      workerIds.add(workerId);
      const client = connection.client;
      if (client) take(client, workerId).catch(() => {}); // a lost connection takes them all again when it is back
    },
    stop: () => connection.stop(),
  };
}

/**
 * Every `everyMs`: which workers hold jobs (locked for longer than a sweep,
 * so a worker that has just started has taken its lock) and whose liveness
 * lock is free; those seen free twice in a row are gone: their jobs are
 * released. A job replaced while they held it (graphile-worker moved its key
 * to a newer job and marked it out of attempts, so it would never run or
 * leave) is deleted instead.
 */
function sweepDeadWorkers(pgPool: pg.Pool, utils: WorkerUtils, everyMs: number): { stop(): void } {
  let seenFreeLastTime = new Set<string>();
  const sweep = async () => {
    const seenFree = new Set<string>();
    const client = await pgPool.connect();
    try {
      const { rows } = await client.query<{ worker_id: string }>(
        "select distinct locked_by as worker_id from graphile_worker.jobs where locked_by is not null and locked_at < now() - make_interval(secs => $1)",
        [everyMs / 1000],
      );
      for (const { worker_id: workerId } of rows) {
        const { rows: [lock] } = await client.query<{ free: boolean }>("select pg_try_advisory_lock($1, hashtext($2)) as free", [LIVE_WORKER_LOCKS, workerId]);
        if (!lock!.free) continue;
        await client.query("select pg_advisory_unlock($1, hashtext($2))", [LIVE_WORKER_LOCKS, workerId]);
        seenFree.add(workerId);
      }
    } finally {
      client.release();
    }
    const gone = [...seenFree].filter((workerId) => seenFreeLastTime.has(workerId));
    seenFreeLastTime = seenFree;
    if (gone.length === 0) return;
    const { rows: replaced } = await pgPool.query<{ id: string }>(
      "select id from graphile_worker.jobs where locked_by = any($1) and key is null and attempts >= max_attempts and last_error is null",
      [gone],
    );
    quietWorkerLogger.warn(`Releasing the jobs of worker(s) that are gone: ${gone.join(", ")}`);
    await utils.forceUnlockWorkers(gone);
    if (replaced.length > 0) await utils.completeJobs(replaced.map((job) => job.id));
  };
  const timer = setInterval(() => void sweep().catch(() => {}), everyMs);
  return { stop: () => clearInterval(timer) };
}

/**
 * graphile-worker 0.18 records a finished job with a promise that nobody
 * awaits: when Postgres is away at that moment, it rejects after its retries
 * and would end the whole process (API included). A lost connection is not a
 * reason to die: say so in one line and go on (the job stays locked by this
 * live worker until graphile-worker's own 4-hour expiry, then runs again).
 * Any other unhandled rejection still ends the process, as Node does.
 */
function survivePostgresOutage(reason: unknown): void {
  if (isConnectionError(reason)) {
    console.error(`[worker] lost the database while recording a job: ${(reason as Error).message}`);
    return;
  }
  throw reason;
}

const CONNECTION_ERROR_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "57P01", "57P02", "57P03"]);

function isConnectionError(reason: unknown): boolean {
  if (!(reason instanceof Error)) return false;
  const code = (reason as { code?: string }).code ?? "";
  return (
    CONNECTION_ERROR_CODES.has(code) ||
    code.startsWith("08") ||
    /Connection terminated|connection error|not queryable|the database system is (shutting down|starting up)/i.test(reason.message)
  );
}
