/**
 * A websocket authenticates once, when an operation starts; the session it
 * used can end later (log-out, ban, expiry clean-up). The database announces
 * every ended session on the channel `sessions_ended`
 * (sql/user_schema/user_sessions.sql); the sockets opened with it are then
 * closed (code 4401), so no subscription outlives its session.
 */
import type { GrafastSubscriber } from "postgraphile/grafast";

/** What is needed of a websocket here (the `ws` package's WebSocket). */
interface ClosableSocket {
  close(code?: number, reason?: string): void;
  once(event: "close", listener: () => void): unknown;
}

export const SESSION_ENDED_CLOSE_CODE = 4401;

export class SessionSockets {
  private readonly bySession = new Map<string, Set<ClosableSocket>>();

  track(sessionId: string, socket: ClosableSocket): void {
    let sockets = this.bySession.get(sessionId);
    if (!sockets) this.bySession.set(sessionId, (sockets = new Set()));
    if (sockets.has(socket)) return;
    sockets.add(socket);
    socket.once("close", () => {
      sockets.delete(socket);
      if (sockets.size === 0 && this.bySession.get(sessionId) === sockets) this.bySession.delete(sessionId);
    });
  }

  end(sessionId: string): void {
    const sockets = this.bySession.get(sessionId);
    this.bySession.delete(sessionId);
    for (const socket of sockets ?? []) socket.close(SESSION_ENDED_CLOSE_CODE, "Session ended");
  }

  /** Closes sockets as the database announces ended sessions, until `stop()`. */
  follow(subscriber: GrafastSubscriber): { stop(): void } {
    const announcements = subscriber.subscribe("sessions_ended") as AsyncIterableIterator<string>;
    void (async () => {
      for await (const sessionId of announcements) this.end(sessionId);
    })();
    return { stop: () => void announcements.return?.() };
  }
}
