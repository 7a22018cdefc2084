/**
 * Rate limits in SQL (sql/app_private/rate_limits.sql) with a rule an
 * operator raised (app_private.rate_limit_overrides). The limits as a client
 * meets them are tested through the API (test/server/abuse-rates.test.ts).
 */
import type pg from "pg";
import { expectSqlError, withRollback } from "../support/db.ts";

const SUBJECT = "user:rate-limit-test";

async function raiseRule(client: pg.ClientBase, action: string, maxHits: number): Promise<void> {
  await client.query(
    `insert into app_private.rate_limit_overrides (action, max_hits, per) values ($1, $2, interval '1 hour')
     on conflict (action) do update set max_hits = excluded.max_hits, per = excluded.per`,
    [action, maxHits],
  );
}

async function setHits(client: pg.ClientBase, action: string, hits: number): Promise<void> {
  await client.query(
    `insert into app_private.rate_limit_counters (action, subject, window_started_at, hits) values ($1, $2, now(), $3)
     on conflict (action, subject) do update set hits = excluded.hits, window_started_at = excluded.window_started_at`,
    [action, SUBJECT, hits],
  );
}

async function hits(client: pg.ClientBase, action: string): Promise<number> {
  const { rows } = await client.query("select hits from app_private.rate_limit_counters where action = $1 and subject = $2", [action, SUBJECT]);
  return rows[0].hits;
}

describe("a rule raised past 1,023 hits per window", () => {
  test("keeps counting, and refuses with RRATE at its limit (the backoff's 2^hits does not overflow)", () =>
    withRollback(async (client) => {
      await raiseRule(client, "send_message", 5000);
      await setHits(client, "send_message", 2000);
      await client.query("select app_private.rate_limit('send_message', $1)", [SUBJECT]);
      expect(await hits(client, "send_message")).toBe(2001);

      await setHits(client, "send_message", 5000);
      const error = await expectSqlError(client, "select app_private.rate_limit('send_message', $1)", [SUBJECT]);
      expect(error.code).toBe("RRATE");
    }));

  test("with a backoff, answers within it instead of failing", () =>
    withRollback(async (client) => {
      await raiseRule(client, "mail", 5000);
      await setHits(client, "mail", 2000);
      const { rows } = await client.query("select app_private.rate_limit_allows('mail', $1, interval '1 minute') as allowed", [SUBJECT]);
      expect(rows[0].allowed).toBe(false);
      expect(await hits(client, "mail")).toBe(2000);
    }));
});
