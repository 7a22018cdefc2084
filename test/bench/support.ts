/**
 * Shared pieces of the benchmarks (npm run bench): a throwaway system to
 * measure (embedded Postgres, migrated, with the worker and optionally the
 * API server, in this process or in its own), and the statistics and table
 * they print.
 */
import { fork } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { startEmbeddedPostgres } from "../../src/db/embedded-postgres.ts";
import pg from "pg";
import { setupDatabase } from "../../src/db/setup.ts";
import { liftAddressRateLimits } from "../support/rate-limits.ts";
import type { DatabaseUrls } from "../../src/db/urls.ts";
import { startApiServer, type ApiServer, type ApiServerOptions } from "../../src/server/http.ts";
import { startWorker, type RunningWorker } from "../../worker/runner.ts";
import { postmasterPid } from "./process-stats.ts";

export interface BenchSystem {
  urls: DatabaseUrls;
  apiUrl: string | undefined;
  /** The API server's process id when it runs in its own process. */
  apiPid: number | undefined;
  /** The postmaster's process id. */
  postgresPid: number;
  stop(): Promise<void>;
}

export interface BenchSystemOptions {
  /** "in-process": the API in this process; "own-process": in a child process, so load from this one is measured apart. */
  api: "none" | "in-process" | "own-process";
  /** Run the worker in this process (default true). */
  worker?: boolean;
  /** ICE servers and a web client folder for the in-process API. */
  apiOptions?: Pick<ApiServerOptions, "ice" | "webRoot">;
}

export async function startBenchSystem(options: BenchSystemOptions): Promise<BenchSystem> {
  const dataDir = path.join(os.tmpdir(), `rtc-bench-${randomBytes(6).toString("hex")}`);
  const postgres = await startEmbeddedPostgres({ dataDir, port: 0, persistent: false });
  const urls = await setupDatabase(postgres.superuserUrl("rtc_bench"));
  // Every bench client comes from 127.0.0.1: lift the per-address rate limits.
  const superuser = new pg.Client({ connectionString: urls.superuser });
  await superuser.connect();
  await liftAddressRateLimits(superuser).finally(() => superuser.end());
  await raiseRateLimits(urls.owner);
  const worker: RunningWorker | undefined = options.worker === false ? undefined : await startWorker(urls.owner);
  const api: ApiServer | undefined =
    options.api === "in-process"
      ? await startApiServer(urls, { port: 0, host: "127.0.0.1", graphiql: false, introspection: true, ...options.apiOptions })
      : undefined;
  const apiProcess = options.api === "own-process" ? await startApiProcess(urls) : undefined;
  return {
    urls,
    apiUrl: api ? `http://127.0.0.1:${(api.server.address() as AddressInfo).port}` : apiProcess?.url,
    apiPid: apiProcess?.pid,
    postgresPid: postmasterPid(dataDir),
    async stop() {
      await api?.close();
      await apiProcess?.stop();
      await worker?.stop();
      await postgres.stop();
    },
  };
}

/**
 * A benchmark's users act far faster than people (each pair of the chat
 * benchmark sends 1.5 messages a second): the per-user rate limits (README
 * "Limits") are raised, while each request still pays for counting.
 */
async function raiseRateLimits(ownerUrl: string): Promise<void> {
  const owner = new pg.Client({ connectionString: ownerUrl });
  await owner.connect();
  try {
    await owner.query(
      `insert into app_private.rate_limit_overrides (action, max_hits, per)
       select action, 1000000000, interval '1 minute' from unnest($1::text[]) as action`,
      [["send_message", "send_typing", "queue"]],
    );
  } finally {
    await owner.end();
  }
}

/**
 * test/bench/api-process.ts in a child process. Extra node
 * options for it, e.g. --cpu-prof, come from BENCH_API_NODE_OPTIONS.
 */
async function startApiProcess(urls: DatabaseUrls): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const extra = (process.env.BENCH_API_NODE_OPTIONS ?? "").split(" ").filter(Boolean);
  const child = fork(new URL("./api-process.ts", import.meta.url).pathname, [], {
    // As `npm start` runs the server (package.json, README "Benchmarks"): Node's
    // own type stripping, not tsx, and the same garbage collector's flags.
    execArgv: ["--single-threaded-gc", "--max-semi-space-size=8", ...extra],
    // All the load comes from one address: the cap on websockets without a
    // session yet (README "Limits") is for an attacker, not for this. The
    // API runs PostGraphile as production does: without development checks.
    env: { WS_MAX_ANONYMOUS_SOCKETS_PER_ADDRESS: "100000", ...process.env, GRAPHILE_ENV: "production", BENCH_DATABASE_URLS: JSON.stringify(urls) },
    stdio: ["ignore", "inherit", "pipe", "ipc"],
  });
  // The server logs every event it could not send to a socket the load
  // generator closed; count its log lines instead of printing them.
  let logLines = 0;
  let firstLogLine = "";
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
    firstLogLine ||= chunk.split("\n")[0]!;
    logLines += chunk.split("\n").length - 1;
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    child.once("message", (message) => resolve((message as { port: number }).port));
    child.once("exit", (code) => reject(new Error(`the API process exited with code ${code} before listening`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    async stop() {
      child.kill("SIGTERM");
      await exited;
      if (logLines > 0) console.log(`\n  (the API process logged ${logLines} lines on stderr; the first: ${firstLogLine})`);
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
