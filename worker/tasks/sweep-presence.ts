/** Sets devices without a recent heartbeat offline; they leave the queue and their calls. */
import type { Task } from "graphile-worker";

export const sweepPresence: Task<"sweep_presence"> = async (_payload, helpers) => {
  await helpers.query("select app_private.sweep_stale_sessions()");
};
