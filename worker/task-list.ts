/**
 * Every task the worker runs, by the identifier that jobs and the crontab
 * use, with the payload each one takes.
 */
import type { TaskList } from "graphile-worker";
import { cleanupExpiredSessions } from "./tasks/cleanup-expired-sessions.ts";
import { cleanupOldInteractions } from "./tasks/cleanup-old-interactions.ts";
import { sendEmail, type SendEmailPayload } from "./tasks/send-email.ts";
import { expireCalls } from "./tasks/expire-calls.ts";
import { matchQueue } from "./tasks/match-queue.ts";
import { sweepPresence } from "./tasks/sweep-presence.ts";
import { expireVideoRequests } from "./tasks/expire-video-requests.ts";
import { refreshDailyStats } from "./tasks/refresh-daily-stats.ts";

declare global {
  namespace GraphileWorker {
    interface Tasks {
      cleanup_expired_sessions: Record<string, never>;
      cleanup_old_interactions: { retentionDays?: number };
      send_email: SendEmailPayload;
      match_queue: Record<string, never>;
      expire_calls: Record<string, never>;
      sweep_presence: Record<string, never>;
      expire_video_requests: Record<string, never>;
      refresh_daily_stats: Record<string, never>;
    }
  }
}

export const taskList: TaskList = {
  cleanup_expired_sessions: cleanupExpiredSessions,
  cleanup_old_interactions: cleanupOldInteractions,
  send_email: sendEmail,
  match_queue: matchQueue,
  expire_calls: expireCalls,
  sweep_presence: sweepPresence,
  expire_video_requests: expireVideoRequests,
  refresh_daily_stats: refreshDailyStats,
};

/** Recurring jobs (graphile-worker crontab syntax, UTC). */
export const crontab = [
  // Safety nets: these also run when the database schedules them.
  "* * * * * match_queue ?jobKey=match_queue&jobKeyMode=preserve_run_at",
  "* * * * * expire_calls",
  "* * * * * sweep_presence ?jobKey=sweep_presence&jobKeyMode=preserve_run_at",
  "* * * * * expire_video_requests",
  "5 * * * * refresh_daily_stats",
  "*/15 * * * * cleanup_expired_sessions",
  "30 3 * * * cleanup_old_interactions ?max=3",
].join("\n");
