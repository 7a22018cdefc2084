/**
 * Every task the worker runs, by the identifier that jobs and the crontab
 * use, with the payload each one takes.
 */
import type { TaskList } from "graphile-worker";
import { cleanupExpiredSessions } from "./tasks/cleanup-expired-sessions.ts";
import { cleanupOldInteractions } from "./tasks/cleanup-old-interactions.ts";
import { sendEmail, type SendEmailPayload } from "./tasks/send-email.ts";

declare global {
  namespace GraphileWorker {
    interface Tasks {
      cleanup_expired_sessions: Record<string, never>;
      cleanup_old_interactions: { retentionDays?: number };
      send_email: SendEmailPayload;
    }
  }
}

export const taskList: TaskList = {
  cleanup_expired_sessions: cleanupExpiredSessions,
  cleanup_old_interactions: cleanupOldInteractions,
  send_email: sendEmail,
};

/** Recurring jobs (graphile-worker crontab syntax, UTC). */
export const crontab = [
  "*/15 * * * * cleanup_expired_sessions",
  "30 3 * * * cleanup_old_interactions ?max=3",
].join("\n");
