/**
 * How PostGraphile's PgSubscriber (one LISTEN connection per API process)
 * behaves as its channels grow: each subscribe or unsubscribe re-syncs the
 * whole topic list, comparing arrays (quadratic in the channels held), so the
 * cost of one more subscription grows with the square of those already held.
 * Prints, for each number of channels held, the time to add 100 more channels
 * (until the last one delivers a NOTIFY) and the event loop's longest stall.
 */
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { monitorEventLoopDelay } from "node:perf_hooks";
import pg from "pg";
import { PgSubscriber } from "postgraphile/adaptors/pg";
import { startEmbeddedPostgres } from "../../src/db/embedded-postgres.ts";

const postgres = await startEmbeddedPostgres({
  dataDir: path.join(os.tmpdir(), `rtc-bench-${randomBytes(6).toString("hex")}`),
  port: 0,
  persistent: false,
});
const pool = new pg.Pool({ connectionString: postgres.superuserUrl("postgres"), max: 2 });
const subscriber = new PgSubscriber(pool);
const iterators: AsyncIterator<unknown>[] = [];

async function listenTo(count: number): Promise<void> {
  let last: AsyncIterator<unknown> | undefined;
  let topic = "";
  for (let i = 0; i < count; i++) {
    topic = `bench:${iterators.length}`;
    last = (subscriber.subscribe(topic) as AsyncIterable<unknown>)[Symbol.asyncIterator]();
    iterators.push(last);
  }
  // The last LISTEN is in place once a NOTIFY on it arrives.
  const next = last!.next();
  for (;;) {
    await pool.query("select pg_notify($1, 'x')", [topic]);
    const arrived = await Promise.race([next.then(() => true), new Promise((r) => setTimeout(() => r(false), 20))]);
    if (arrived) return;
  }
}

console.log("| channels held | time to add 100 more | longest event-loop stall |");
console.log("| --- | --- | --- |");
for (const target of [100, 500, 1000, 2000, 3000, 4000]) {
  if (iterators.length < target - 100) await listenTo(target - 100 - iterators.length);
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const started = performance.now();
  await listenTo(100);
  const took = performance.now() - started;
  delay.disable();
  console.log(`| ${target - 100} -> ${target} | ${took.toFixed(0)} ms | ${(delay.max / 1e6).toFixed(0)} ms |`);
}
await Promise.all(iterators.map((iterator) => iterator.return?.()));
subscriber.release?.();
await pool.end();
await postgres.stop();
