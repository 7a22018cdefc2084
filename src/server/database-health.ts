/**
 * Whether the database answers, as the API sees it. A probe (`select 1` on
 * a connection of its own) runs every second and answers within a deadline,
 * so a Postgres that is restarting, gone or hung (SIGSTOP) is noticed within
 * a few seconds: two probes in a row must fail (one late answer can be the
 * API's own event loop busy, not the database). While it is unavailable the API answers at once with
 * code RUNAV (HTTP 503) instead of waiting on it, and when it goes away the
 * queries still waiting on the pools' connections are cut off, so no request
 * hangs with it. The first probe that succeeds makes it available again.
 */
import pg from "pg";

export const DATABASE_UNAVAILABLE = {
  code: "RUNAV",
  message: "The database is unavailable right now: try again in a few seconds.",
} as const;

/** Errors of a connection that failed, was refused or was cut off (not errors of a statement). */
const CONNECTION_ERROR_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "57P01", "57P02", "57P03", "08000", "08003", "08006", "08001", "08004"]);
const CONNECTION_ERROR_MESSAGES = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed|Connection terminated unexpectedly)/;

/** True for an error that says the database could not be reached, rather than that a statement failed. */
export function isConnectionError(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return (typeof code === "string" && CONNECTION_ERROR_CODES.has(code)) || (typeof message === "string" && CONNECTION_ERROR_MESSAGES.test(message));
}

/** Swallows a client's or pool's "error" event: the query that was using the connection reports it. */
export function ignoreConnectionErrors(pool: pg.Pool): pg.Pool {
  const ignore = () => {};
  pool.on("error", ignore);
  pool.on("connect", (client) => client.on("error", ignore));
  return pool;
}

const FAILED_PROBES_FOR_UNAVAILABLE = 2;

export interface DatabaseHealthOptions {
  /** How long a probe may take before the database counts as unavailable. */
  timeoutMs: number;
  /** Time between probes. */
  intervalMs: number;
}

export class DatabaseHealth {
  private isAvailable = true;
  private failuresInARow = 0;
  private probing: Promise<boolean> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly checkedOut = new Set<pg.Client>();
  private probeClient: Promise<pg.Client> | null = null;

  private readonly connectionString: string;
  private readonly options: DatabaseHealthOptions;

  constructor(connectionString: string, options: DatabaseHealthOptions) {
    this.connectionString = connectionString;
    this.options = options;
  }

  get available(): boolean {
    return this.isAvailable;
  }

  start(): void {
    const tick = () => {
      void this.check().finally(() => {
        if (this.timer) this.timer = setTimeout(tick, this.options.intervalMs);
      });
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.probing;
    const client = this.probeClient;
    this.probeClient = null;
    await client?.then((connected) => connected.end(), () => {});
  }

  /** Probes the database now (joining a probe under way) and returns whether it answered in time. */
  check(): Promise<boolean> {
    this.probing ??= this.probe().then((answered) => {
      this.probing = null;
      this.failuresInARow = answered ? 0 : this.failuresInARow + 1;
      const available = this.failuresInARow < FAILED_PROBES_FOR_UNAVAILABLE;
      if (!available && this.isAvailable) this.cutOffCheckedOutClients();
      this.isAvailable = available;
      return answered;
    });
    return this.probing;
  }

  /** Lets the health cut off this pool's busy connections when the database goes away. */
  watch(pool: pg.Pool): void {
    pool.on("acquire", (client) => this.checkedOut.add(client as unknown as pg.Client));
    pool.on("release", (_error: Error | undefined, client: pg.PoolClient) => this.checkedOut.delete(client as unknown as pg.Client));
    pool.on("remove", (client) => this.checkedOut.delete(client as unknown as pg.Client));
  }

  /** `select 1` on a connection kept for probing (made again after a failure), within the deadline. */
  private async probe(): Promise<boolean> {
    try {
      this.probeClient ??= this.connectProbeClient();
      const client = await this.probeClient;
      await client.query("select 1");
      return true;
    } catch {
      const failed = this.probeClient;
      this.probeClient = null;
      // A hung server never answers a goodbye: drop the socket instead.
      void failed?.then((client) => client.connection.stream.destroy(), () => {});
      return false;
    }
  }

  private async connectProbeClient(): Promise<pg.Client> {
    const client = new pg.Client({
      connectionString: this.connectionString,
      connectionTimeoutMillis: this.options.timeoutMs,
      query_timeout: this.options.timeoutMs,
      application_name: "rtc_api_health",
    });
    client.on("error", () => {}); // the next probe's query fails and reconnects
    try {
      await client.connect();
    } catch (error) {
      client.connection.stream.destroy();
      throw error;
    }
    return client;
  }

  /** Their queries fail at once (as if the server had closed them) instead of waiting for a server that may never answer. */
  private cutOffCheckedOutClients(): void {
    for (const client of this.checkedOut) client.connection.stream.destroy();
    this.checkedOut.clear();
  }
}
