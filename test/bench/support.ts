/**
 * Shared pieces of the benchmarks (npm run bench): a throwaway system to
 * measure (embedded Postgres, migrated, with the worker and optionally the
 * API server), and the statistics and table they print.
 */
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { startEmbeddedPostgres } from "../../src/db/embedded-postgres.ts";
import { setupDatabase } from "../../src/db/setup.ts";
import type { DatabaseUrls } from "../../src/db/urls.ts";
import { startApiServer, type ApiServer } from "../../src/server/http.ts";
import { startWorker, type RunningWorker } from "../../worker/runner.ts";

export interface BenchSystem {
  urls: DatabaseUrls;
  apiUrl: string | undefined;
  stop(): Promise<void>;
}

export async function startBenchSystem(options: { api: boolean }): Promise<BenchSystem> {
  const postgres = await startEmbeddedPostgres({
    dataDir: path.join(os.tmpdir(), `rtc-bench-${randomBytes(6).toString("hex")}`),
    port: 0,
    persistent: false,
  });
  const urls = await setupDatabase(postgres.superuserUrl("rtc_bench"));
  const worker: RunningWorker = await startWorker(urls.owner);
  const api: ApiServer | undefined = options.api
    ? await startApiServer(urls, { port: 0, host: "127.0.0.1", graphiql: false, introspection: true })
    : undefined;
  return {
    urls,
    apiUrl: api && `http://127.0.0.1:${(api.server.address() as AddressInfo).port}`,
    async stop() {
      await api?.close();
      await worker.stop();
      await postgres.stop();
    },
  };
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export const median = (values: number[]) => percentile(values, 50);

export function printTable(title: string, rows: string[][]): void {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  console.log(`\n${title}`);
  for (const row of rows) console.log("  " + row.map((cell, column) => cell.padStart(widths[column]!)).join("  "));
}
