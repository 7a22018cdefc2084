/**
 * The client's only way to the server: GraphQL over HTTP (queries and
 * mutations) and graphql-ws (subscriptions), with the bearer token kept in
 * sessionStorage (one log-in per tab, gone when the tab closes).
 */
import { createClient, type Client } from "graphql-ws";

const TOKEN_KEY = "rtc.token";

/** A GraphQL error with the stable code the API puts in extensions.code. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

type Variables = Record<string, unknown>;
let sessionEnded: () => void = () => {};
let socket: Client | null = null;

export function token(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

/** Closes the websocket (its subscriptions end); the next subscription opens a new one. */
export function closeSocket(): void {
  void socket?.dispose();
  socket = null;
}

export function setToken(value: string | null): void {
  closeSocket();
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/** What to do when the server says the session is over (logged out elsewhere, banned, expired). */
export function onSessionEnded(handler: () => void): void {
  sessionEnded = handler;
}

export async function request<T>(query: string, variables: Variables = {}): Promise<T> {
  const bearer = token();
  const response = await fetch("/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json", ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: Array<{ message: string; extensions?: { code?: string } }> };
  const error = body.errors?.[0];
  if (error) {
    if (error.extensions?.code === "RSESS") sessionEnded();
    throw new ApiError(error.message, error.extensions?.code);
  }
  return body.data as T;
}

function websocket(): Client {
  if (!socket) {
    const bearer = token();
    socket = createClient({
      url: `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/graphql`,
      connectionParams: bearer ? { authorization: `Bearer ${bearer}` } : {},
      lazy: true,
      retryAttempts: 5,
      on: {
        closed: (event) => {
          // 4401: the session this socket authenticated with has ended.
          if ((event as CloseEvent).code === 4401) sessionEnded();
        },
      },
    });
  }
  return socket;
}

/** `{ <field>: { event: "subscribed" } }`: the stream listens. */
function isSubscribed(data: Record<string, unknown>): boolean {
  return Object.values(data).some((value) => (value as { event?: unknown } | null)?.event === "subscribed");
}

export interface Subscription {
  stop(): void;
}

/** How long to wait before subscribing again after the server's LISTEN was interrupted (RLIVE). */
const RESUBSCRIBE_AFTER_MS = 500;

/**
 * Subscribes over the websocket; `onData` gets each event's data. The first
 * event of a subscription is `subscribed`: the server listens from then on,
 * so `onLive` is the moment to read the current state (nothing committed
 * later is missed). When the server says the stream was interrupted (code
 * RLIVE: events may have been lost), it subscribes again, and `onLive` runs
 * again once the new stream listens.
 */
export function subscribe<T>(
  query: string,
  variables: Variables,
  onData: (data: T) => void,
  onError: (error: ApiError) => void,
  onLive: () => void = () => {},
): Subscription {
  let stopped = false;
  let unsubscribe = () => {};
  const failed = (error: ApiError) => {
    if (stopped) return;
    // The session ended (its subscriptions end before its socket closes): one notice, from the session handler.
    if (error.code === "RSESS") return sessionEnded();
    if (error.code !== "RLIVE") return onError(error);
    unsubscribe();
    setTimeout(() => {
      if (!stopped) start();
    }, RESUBSCRIBE_AFTER_MS);
  };
  const start = () => {
    unsubscribe = websocket().subscribe<T>(
      { query, variables },
      {
        next: (result) => {
          const error = result.errors?.[0];
          if (error) failed(new ApiError(error.message, (error.extensions as { code?: string } | undefined)?.code));
          else if (result.data && isSubscribed(result.data)) onLive();
          else if (result.data) onData(result.data as T);
        },
        error: (error) => {
          const graphqlError = Array.isArray(error) ? (error[0] as { message: string; extensions?: { code?: string } } | undefined) : undefined;
          if (graphqlError) failed(new ApiError(graphqlError.message, graphqlError.extensions?.code));
          else failed(new ApiError(error instanceof Error ? error.message : "The live connection failed.", undefined));
        },
        complete: () => {},
      },
    );
  };
  start();
  return {
    stop() {
      stopped = true;
      unsubscribe();
    },
  };
}
