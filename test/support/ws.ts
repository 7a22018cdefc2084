/**
 * A GraphQL-over-websocket client (graphql-ws, as apps use) holding one
 * subscription, with a way to wait for the next event that matches.
 */
import { createClient, type Client } from "graphql-ws";

export interface EventStream<T> {
  events: T[];
  /** Resolves with the first event (seen or to come) that matches, after those already taken. */
  next(matches?: (event: T) => boolean, timeoutMs?: number): Promise<T>;
  errors: unknown[];
  close(): Promise<void>;
}

export function subscribe<T>(url: string, query: string, token?: string, variables?: Record<string, unknown>): EventStream<T> {
  const client: Client = createClient({
    url: url.replace(/^http/, "ws") + "/graphql",
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
  });
  const events: T[] = [];
  const errors: unknown[] = [];
  const waiters: Array<() => void> = [];
  let taken = 0;
  const wake = () => waiters.splice(0).forEach((waiter) => waiter());

  const unsubscribe = client.subscribe<T>(
    { query, variables },
    {
      next: (result) => {
        if (result.errors) errors.push(...result.errors);
        if (result.data) events.push(result.data);
        wake();
      },
      error: (error) => {
        // A closed socket reports a CloseEvent, whose fields JSON would not show.
        const close = error as { code?: number; reason?: string };
        errors.push(typeof close.code === "number" ? { closeCode: close.code, reason: close.reason } : error);
        wake();
      },
      complete: wake,
    },
  );

  return {
    events,
    errors,
    async next(matches = () => true, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const index = events.findIndex((event, i) => i >= taken && matches(event));
        if (index >= 0) {
          taken = index + 1;
          return events[index]!;
        }
        if (errors.length > 0) throw new Error(`subscription error: ${JSON.stringify(errors)}`);
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(events.slice(taken))}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
    async close() {
      unsubscribe();
      await client.dispose();
    },
  };
}

/** A logged-in device's websocket that runs nothing (connected, acknowledged): the close codes the server sent it. */
export async function openIdleSocket(url: string, token: string): Promise<{ closeCodes: number[]; close(): Promise<void> }> {
  const closeCodes: number[] = [];
  let connected!: () => void;
  const ready = new Promise<void>((resolve) => (connected = resolve));
  const client = createClient({
    url: url.replace(/^http/, "ws") + "/graphql",
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    lazy: false,
    retryAttempts: 0,
    on: { connected: () => connected(), closed: (event) => void closeCodes.push((event as CloseEvent).code) },
  });
  await ready;
  return { closeCodes, close: () => client.dispose() as Promise<void> };
}
