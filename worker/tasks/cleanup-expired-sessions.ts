/** Deletes sessions past their expiry (the seed's cleanup_expired_sessions). */
import type { Task } from "graphile-worker";

export const cleanupExpiredSessions: Task<"cleanup_expired_sessions"> = async (_payload, helpers) => {
  await helpers.query("select public.cleanup_expired_sessions()");
};
