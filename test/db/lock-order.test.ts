/**
 * The lock order (sql/app_private/participants.sql) under races: every pair
 * of conflicting operations, fired at the same moment from two connections,
 * ends in success or a documented rule code, never a deadlock or a raw
 * SQLSTATE, and leaves the invariants whole. `npm run bench:locks` runs the
 * same rounds many more times.
 */
import { testDatabaseUrls } from "../support/db.ts";
import { runLockRounds } from "../support/lock-rounds.ts";

test("conflicting operations never deadlock, raise only documented codes, and keep the invariants", async () => {
  const urls = testDatabaseUrls();
  const report = await runLockRounds({ superuserUrl: urls.superuser, ownerUrl: urls.owner, roundsPerScenario: 12, msPerScenario: 1200 });
  expect(report.undocumented).toEqual([]);
  expect(report.broken).toEqual([]);
  expect(report.scenarios.every((scenario) => scenario.rounds > 0)).toBe(true);
}, 60_000);
