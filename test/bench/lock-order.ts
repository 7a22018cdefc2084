/**
 * The lock order under races, at length (npm run bench:locks): the rounds of
 * test/db/lock-order.test.ts, many more of them, on a throwaway Postgres.
 * Prints each scenario's rounds and the errors by code; exits 1 on a
 * deadlock, any other undocumented SQLSTATE, or a broken invariant.
 */
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { startEmbeddedPostgres } from "../../src/db/embedded-postgres.ts";
import { setupDatabase } from "../../src/db/setup.ts";
import { runLockRounds } from "../support/lock-rounds.ts";
import { printTable } from "./support.ts";

const ROUNDS = Number(process.env.LOCK_ROUNDS ?? 100);

const postgres = await startEmbeddedPostgres({
  dataDir: path.join(os.tmpdir(), `rtc-bench-${randomBytes(6).toString("hex")}`),
  port: 0,
  persistent: false,
});
try {
  const urls = await setupDatabase(postgres.superuserUrl("rtc_bench"));
  const started = Date.now();
  const report = await runLockRounds({ superuserUrl: urls.superuser, ownerUrl: urls.owner, roundsPerScenario: ROUNDS, msPerScenario: 60_000 });
  printTable(`Conflicting operations at the same moment, ${ROUNDS} rounds each (${((Date.now() - started) / 1000).toFixed(0)} s)`, [
    ["scenario", "rounds", "errors by code"],
    ...report.scenarios.map((s) => [
      s.name,
      String(s.rounds),
      Object.entries(s.errors).map(([code, count]) => `${code} ${count}`).join(", ") || "none",
    ]),
  ]);
  console.log(`\nundocumented errors: ${report.undocumented.length}, broken invariants: ${report.broken.length}`);
  for (const line of [...report.undocumented, ...report.broken].slice(0, 20)) console.log(`  ${line}`);
  if (report.undocumented.length || report.broken.length) process.exitCode = 1;
} finally {
  await postgres.stop();
}
