/**
 * A LISTEN on one channel that outlives its connection: when the connection
 * fails (Postgres restarted, crashed, or the backend was terminated) it
 * connects again with exponential backoff and listens again; `onListening`
 * runs after every (re)connect, once the LISTEN is in place, so the owner
 * can catch up on what it may have missed while it was not listening.
 */
import pg from "pg";

export interface ChannelListenerOptions {
  connectionString: string;
  channel: string;
  onNotification(payload: string): void;
  /** After each (re)connect, with the LISTEN in place: catch up on what was missed. */
  onListening?(client: pg.Client): Promise<void>;
  /** Backoff between attempts: doubles from `minDelayMs` up to `maxDelayMs`. */
  minDelayMs?: number;
  maxDelayMs?: number;
}

export class ChannelListener {
  private client: pg.Client | null = null;
  private stopped = false;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private connecting: Promise<void> | null = null;
  private readonly minDelayMs: number;
  private readonly maxDelayMs: number;

  constructor(private readonly options: ChannelListenerOptions) {
    this.minDelayMs = options.minDelayMs ?? 100;
    this.maxDelayMs = options.maxDelayMs ?? 3000;
  }

  /** Listens until `stop()`; resolves once listening the first time (or rejects if that fails). */
  async start(): Promise<void> {
    await this.connect(true);
  }

  get listening(): boolean {
    return this.client !== null;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.connecting?.catch(() => {});
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {});
  }

  private connect(throwOnFailure = false): Promise<void> {
    this.connecting = this.attempt().then(
      () => {
        this.failures = 0;
      },
      (error) => {
        if (throwOnFailure) throw error;
        this.retry();
      },
    );
    return this.connecting;
  }

  private async attempt(): Promise<void> {
    const client = new pg.Client({ connectionString: this.options.connectionString, connectionTimeoutMillis: 5000, application_name: `rtc_api_listen_${this.options.channel}` });
    let lost = false;
    const onLost = () => {
      if (lost) return;
      lost = true;
      if (this.client === client) {
        this.client = null;
        this.retry();
      }
    };
    client.on("error", onLost);
    client.on("end", onLost);
    client.on("notification", (message) => {
      if (message.channel === this.options.channel) this.options.onNotification(message.payload ?? "");
    });
    try {
      await client.connect();
      await client.query(`listen ${client.escapeIdentifier(this.options.channel)}`);
      await this.options.onListening?.(client);
      if (lost) throw new Error("connection lost while starting to listen");
      if (this.stopped) throw new Error("stopped");
    } catch (error) {
      client.connection.stream.destroy();
      throw error;
    }
    this.client = client;
  }

  private retry(): void {
    if (this.stopped || this.retryTimer) return;
    const delay = Math.min(this.minDelayMs * 2 ** this.failures, this.maxDelayMs);
    this.failures++;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.stopped) void this.connect();
    }, delay);
  }
}
