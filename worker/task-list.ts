/**
 * Every task the worker runs, by the identifier that jobs and the crontab
 * use, with the payload each one takes.
 */
import type { TaskList } from "graphile-worker";
import { cleanupExpiredSessions } from "./tasks/cleanup-expired-sessions.ts";
import { cleanupOldInteractions } from "./tasks/cleanup-old-interactions.ts";

declare global {
  namespace GraphileWorker {
    interface Tasks {
      cleanup_expired_sessions: Record<string, never>;
      cleanup_old_interactions: { retentionDays?: number };
    }
  }
}

export const taskList: TaskList = {
  cleanup_expired_sessions: cleanupExpiredSessions,
  cleanup_old_interactions: cleanupOldInteractions,
};

/** Recurring jobs (graphile-worker crontab syntax, UTC). */
export const crontab = [
  "*/15 * * * * cleanup_expired_sessions",
  "30 3 * * * cleanup_old_interactions ?max=3",
].join("\n");
