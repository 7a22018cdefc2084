/** Deletes sessions past their expiry (the seed's cleanup_expired_sessions), spent log-in throttles and rate-limit counters. */
import type { Task } from "graphile-worker";

export const cleanupExpiredSessions: Task<"cleanup_expired_sessions"> = async (_payload, helpers) => {
  await helpers.query("select public.cleanup_expired_sessions()");
  await helpers.query("select app_private.cleanup_login_throttles()");
  await helpers.query("select app_private.cleanup_rate_limits()");
};
