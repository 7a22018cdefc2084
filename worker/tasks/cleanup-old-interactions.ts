/** Deletes calls older than the retention period (the seed's cleanup_old_interactions). */
import type { Task } from "graphile-worker";

export const DEFAULT_RETENTION_DAYS = 365;

export const cleanupOldInteractions: Task<"cleanup_old_interactions"> = async (payload, helpers) => {
  const retentionDays = payload?.retentionDays ?? DEFAULT_RETENTION_DAYS;
  if (!Number.isSafeInteger(retentionDays) || retentionDays < 1) {
    throw new Error(`retentionDays must be a positive integer, got ${JSON.stringify(retentionDays)}`);
  }
  await helpers.query("select public.cleanup_old_interactions($1)", [retentionDays]);
};
