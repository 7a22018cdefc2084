/**
 * Bearer tokens resolved once, then kept in this process: a request with a
 * known token costs no round trip to the database. The database still checks
 * the session in every transaction (app_private.current_user_id()), so an
 * entry kept too long can never act for an ended session; the cache only
 * decides how fast a dead token gets its 401.
 *
 * An entry goes when its session ends (the database's `sessions_ended`
 * announcement, src/server/session-sockets.ts), when the session expires,
 * and at the latest after `ttlMs` (in case an announcement was missed while
 * the LISTEN connection was away): at a random moment of its second half, so
 * that the tokens kept together (every client reconnecting after a restart)
 * are not all looked up again in the same second, every `ttlMs`, through the
 * authenticator's few connections.
 */
import type { SessionLookup } from "./auth.ts";

export interface SessionCacheOptions {
  /** How long an entry is trusted at most; 0 turns the cache off. */
  ttlMs: number;
  /** The most entries kept; the oldest go first. */
  maxEntries: number;
}

type Session = NonNullable<Awaited<ReturnType<SessionLookup>>>;

interface Entry {
  session: Session;
  /** When to look the token up again: the session's expiry or the ttl, whichever is first. */
  until: number;
}

export class SessionCache {
  private readonly byToken = new Map<string, Entry>();
  private readonly tokenBySession = new Map<string, string>();
  /** Bumped by every forget/clear: a look-up that overlapped one is not kept. */
  private generation = 0;

  private readonly lookupInDatabase: SessionLookup;
  private readonly options: SessionCacheOptions;

  constructor(lookupInDatabase: SessionLookup, options: SessionCacheOptions) {
    this.lookupInDatabase = lookupInDatabase;
    this.options = options;
  }

  /** A SessionLookup answered from the cache when it can. */
  readonly lookup: SessionLookup = async (token) => {
    const entry = this.byToken.get(token);
    if (entry && Date.now() < entry.until) return entry.session;
    if (entry) this.remove(token, entry.session.session_id);
    const generation = this.generation;
    const session = await this.lookupInDatabase(token);
    if (session && this.options.ttlMs > 0 && generation === this.generation) this.keep(token, session);
    return session;
  };

  /** A session ended: its token must be looked up again. */
  forget(sessionId: string): void {
    this.generation++;
    const token = this.tokenBySession.get(sessionId);
    if (token !== undefined) this.remove(token, sessionId);
  }

  /** Forget everything (e.g. when announcements may have been missed). */
  clear(): void {
    this.generation++;
    this.byToken.clear();
    this.tokenBySession.clear();
  }

  private keep(token: string, session: Session): void {
    if (this.byToken.size >= this.options.maxEntries) {
      const [oldestToken, oldest] = this.byToken.entries().next().value!;
      this.remove(oldestToken, oldest.session.session_id);
    }
    const expiresAt = new Date(session.expires_at).getTime();
    this.byToken.set(token, { session, until: Math.min(expiresAt, Date.now() + spread(this.options.ttlMs)) });
    this.tokenBySession.set(session.session_id, token);
  }

  private remove(token: string, sessionId: string): void {
    this.byToken.delete(token);
    if (this.tokenBySession.get(sessionId) === token) this.tokenBySession.delete(sessionId);
  }
}

/** A moment in the second half of `ms`. */
function spread(ms: number): number {
  return ms / 2 + Math.random() * (ms / 2);
}
