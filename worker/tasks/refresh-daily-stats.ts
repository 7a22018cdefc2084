/**
 * Recomputes the analytics rollups (daily_stats, daily_intent_stats) of
 * yesterday and today, UTC: yesterday so that its last hour is counted once
 * the day is over, today so that it stays current.
 */
import type { Task } from "graphile-worker";

const DAY_MS = 24 * 60 * 60 * 1000;

/** The UTC days to refresh at `now`, as YYYY-MM-DD: yesterday, then today. */
export function daysToRefresh(now: Date = new Date()): [string, string] {
  const utcDay = (date: Date) => date.toISOString().slice(0, 10);
  return [utcDay(new Date(now.getTime() - DAY_MS)), utcDay(now)];
}

export const refreshDailyStats: Task<"refresh_daily_stats"> = async (_payload, helpers) => {
  for (const day of daysToRefresh()) {
    await helpers.query("select app_private.refresh_daily_stats($1::date)", [day]);
  }
};
