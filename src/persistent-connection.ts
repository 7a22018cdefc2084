/**
 * A database connection that outlives failures of its own: when it fails
 * (Postgres restarted or crashed, the backend terminated) it connects again
 * with exponential backoff and runs `onConnect` again, which puts back what
 * lives on the connection (a LISTEN, a session lock) and catches up on what
 * was missed meanwhile.
 */
import pg from "pg";

export interface PersistentConnectionOptions {
  connectionString: string;
  /** Its application_name, as pg_stat_activity shows it. */
  name: string;
  /** Runs after every (re)connect; a failure drops the connection and tries again. */
  onConnect(client: pg.Client): Promise<void>;
  onNotification?(message: pg.Notification): void;
  /** Backoff between attempts: doubles from `minDelayMs` up to `maxDelayMs`. */
  minDelayMs?: number;
  maxDelayMs?: number;
}

export class PersistentConnection {
  private current: pg.Client | null = null;
  private stopped = false;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private connecting: Promise<void> | null = null;

  private readonly options: PersistentConnectionOptions;

  constructor(options: PersistentConnectionOptions) {
    this.options = options;
  }

  /** Connects; resolves once `onConnect` ran the first time (rejects if that fails: no retry). */
  async start(): Promise<void> {
    await this.connect(true);
  }

  /** The connection, or null while it is being made again. */
  get client(): pg.Client | null {
    return this.current;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.connecting?.catch(() => {});
    const client = this.current;
    this.current = null;
    await client?.end().catch(() => {});
  }

  private connect(failFast = false): Promise<void> {
    this.connecting = this.attempt().then(
      () => {
        this.failures = 0;
      },
      (error) => {
        if (failFast) throw error;
        this.retry();
      },
    );
    return this.connecting;
  }

  private async attempt(): Promise<void> {
    const client = new pg.Client({ connectionString: this.options.connectionString, connectionTimeoutMillis: 5000, application_name: this.options.name });
    const onLost = () => {
      if (this.current !== client) return;
      this.current = null;
      this.retry();
    };
    client.on("error", onLost);
    client.on("end", onLost);
    if (this.options.onNotification) client.on("notification", this.options.onNotification);
    try {
      await client.connect();
      if (this.stopped) throw new Error("stopped");
      this.current = client;
      await this.options.onConnect(client);
    } catch (error) {
      if (this.current === client) this.current = null;
      client.connection.stream.destroy();
      throw error;
    }
  }

  private retry(): void {
    if (this.stopped || this.retryTimer) return;
    const delay = Math.min((this.options.minDelayMs ?? 100) * 2 ** this.failures, this.options.maxDelayMs ?? 3000);
    this.failures++;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.stopped) void this.connect();
    }, delay);
  }
}
