/**
 * A websocket authenticates once, when an operation starts; the session it
 * used can end later (log-out, ban, expiry clean-up). The database announces
 * every ended session on the channel `sessions_ended`
 * (sql/user_schema/user_sessions.sql); the sockets opened with it are then
 * closed (code 4401), so no subscription outlives its session. The LISTEN
 * reconnects when its connection fails; each time it is back, the sessions
 * of the open sockets are checked, so one that ended meanwhile still closes.
 *
 * It also reports each socket of a session opening and closing to the
 * database, which decides what that means (a call whose device lost its
 * websockets ends after a grace period: sql/user_schema/presence.sql).
 */
import { PersistentConnection } from "../persistent-connection.ts";

/** What is needed of a websocket here (the `ws` package's WebSocket). */
interface ClosableSocket {
  close(code?: number, reason?: string): void;
  once(event: "close", listener: () => void): unknown;
}

export const SESSION_ENDED_CLOSE_CODE = 4401;

export class SessionSockets {
  private readonly bySession = new Map<string, Set<ClosableSocket>>();

  /**
   * @param sessions kept sessions (src/server/session-cache.ts): told of each
   * ended session, and emptied whenever the LISTEN (re)starts, since ends may
   * have been missed while it was away.
   */
  private readonly sessions: { forget(sessionId: string): void; clear(): void };
  private readonly reportSocket: (sessionId: string, event: "opened" | "closed") => void;

  /** @param reportSocket tells the database that a websocket of the session opened or closed. */
  constructor(
    sessions: { forget(sessionId: string): void; clear(): void } = { forget() {}, clear() {} },
    reportSocket: (sessionId: string, event: "opened" | "closed") => void = () => {},
  ) {
    this.sessions = sessions;
    this.reportSocket = reportSocket;
  }

  track(sessionId: string, socket: ClosableSocket): void {
    let sockets = this.bySession.get(sessionId);
    if (!sockets) this.bySession.set(sessionId, (sockets = new Set()));
    if (sockets.has(socket)) return;
    sockets.add(socket);
    this.reportSocket(sessionId, "opened");
    socket.once("close", () => {
      this.reportSocket(sessionId, "closed");
      sockets.delete(socket);
      if (sockets.size === 0 && this.bySession.get(sessionId) === sockets) this.bySession.delete(sessionId);
    });
  }

  end(sessionId: string): void {
    this.sessions.forget(sessionId);
    const sockets = this.bySession.get(sessionId);
    this.bySession.delete(sessionId);
    for (const socket of sockets ?? []) socket.close(SESSION_ENDED_CLOSE_CODE, "Session ended");
  }

  /** Closes sockets as the database announces ended sessions, until `stop()`. */
  async follow(authenticatorUrl: string): Promise<{ stop(): Promise<void> }> {
    const connection = new PersistentConnection({
      connectionString: authenticatorUrl,
      name: "rtc_api_listen_sessions_ended",
      onNotification: (message) => {
        if (message.channel === "sessions_ended" && message.payload) this.end(message.payload);
      },
      onConnect: async (client) => {
        await client.query("listen sessions_ended");
        // Listening (again): ends may have been missed while it was away. Forget
        // the kept sessions, and close the sockets of sessions that ended meanwhile.
        this.sessions.clear();
        const tracked = [...this.bySession.keys()];
        if (tracked.length === 0) return;
        const ended = await client.query<{ id: string }>("select id from app_private.ended_session_ids($1::uuid[]) as id", [tracked]);
        for (const { id } of ended.rows) this.end(id);
      },
    });
    await connection.start();
    return { stop: () => connection.stop() };
  }
}
