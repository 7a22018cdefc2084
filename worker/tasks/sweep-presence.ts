/**
 * The presence sweep: devices without a recent heartbeat go offline (they
 * leave the queue and their calls), and calls whose device has had no
 * websocket for longer than the grace period end. It schedules its own next
 * run (app_private.presence_sweep_interval), so a lost device is noticed
 * within seconds of its deadline; the crontab starts the chain again if it
 * ever breaks.
 */
import type { Task } from "graphile-worker";

export const sweepPresence: Task<"sweep_presence"> = async (_payload, helpers) => {
  // Each call sweeps a bounded batch in its own transaction: repeat until none is left.
  for (let batch = 0; batch < 1000; batch++) {
    const { rows } = await helpers.query<{ swept: number }>("select app_private.sweep_stale_sessions() as swept");
    if (rows[0]!.swept === 0) break;
  }
  await helpers.query("select app_private.end_calls_of_lost_devices()");
  await helpers.query(
    "select app_private.add_job('sweep_presence', run_at := now() + app_private.presence_sweep_interval(), job_key := 'sweep_presence')",
  );
};
