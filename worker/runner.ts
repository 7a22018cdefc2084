/** Starts graphile-worker on the project's task list and crontab. */
import pg from "pg";
import { run } from "graphile-worker";
import { crontab, taskList } from "./task-list.ts";
import { quietWorkerLogger } from "./logger.ts";

export interface RunningWorker {
  stop(): Promise<void>;
}

export async function startWorker(ownerUrl: string, concurrency = 2): Promise<RunningWorker> {
  // Our own pool: graphile-worker drops its error handlers from a pool it
  // made before the pool has closed, so a connection that Postgres ends
  // during shutdown would crash the process.
  const pgPool = new pg.Pool({ connectionString: ownerUrl, max: concurrency + 2 });
  const ignore = () => {}; // the query that was using the connection reports the error
  pgPool.on("error", ignore);
  pgPool.on("connect", (client) => client.on("error", ignore));
  const runner = await run({ pgPool, concurrency, taskList, crontab, logger: quietWorkerLogger, noHandleSignals: true });
  return {
    async stop() {
      await runner.stop();
      await pgPool.end();
    },
  };
}
