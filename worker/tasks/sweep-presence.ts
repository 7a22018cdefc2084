/** Sets devices without a recent heartbeat offline; they leave the queue and their calls. */
import type { Task } from "graphile-worker";

export const sweepPresence: Task<"sweep_presence"> = async (_payload, helpers) => {
  // Each call sweeps a bounded batch in its own transaction: repeat until none is left.
  for (let batch = 0; batch < 1000; batch++) {
    const { rows } = await helpers.query<{ swept: number }>("select app_private.sweep_stale_sessions() as swept");
    if (rows[0]!.swept === 0) return;
  }
};
