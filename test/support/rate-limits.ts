/**
 * Every test client connects from 127.0.0.1, so the per-address rate limits
 * (sql/app_private/rate_limits.sql) would soon refuse the whole suite: they
 * are lifted in the test databases (an override, as an operator would set
 * one). A test of those limits restores the defaults while it runs.
 */
import type pg from "pg";

export const ADDRESS_RATE_LIMITS = ["register", "login", "password_reset"];

export async function liftAddressRateLimits(client: pg.ClientBase | pg.Pool): Promise<void> {
  await client.query(
    `insert into app_private.rate_limit_overrides (action, max_hits, per)
     select action, 1000000, interval '1 second' from unnest($1::text[]) as action
     on conflict (action) do update set max_hits = excluded.max_hits, per = excluded.per`,
    [ADDRESS_RATE_LIMITS],
  );
}

export async function restoreAddressRateLimits(client: pg.ClientBase): Promise<void> {
  await client.query("delete from app_private.rate_limit_overrides where action = any($1)", [ADDRESS_RATE_LIMITS]);
  await client.query("delete from app_private.rate_limit_counters where subject like 'ip:%'");
}
