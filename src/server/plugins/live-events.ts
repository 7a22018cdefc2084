/**
 * What roomEvents and userEvents stand on. Each logged-in user has one
 * LISTEN/NOTIFY channel; the database names it and decides who may follow
 * what (app_private.live_events_channel: RAUTH, RROOM) when a subscription
 * starts, and sends each event only to the users it concerns, one NOTIFY per
 * recipient (sql/app_private/notify.sql). A subscription then keeps the
 * events it shows (`accept`) and shapes them.
 *
 * An event carries its rows without a re-read, so the end of the session a
 * subscription runs for must stop it before anything newer is shown: the
 * database announces it on the same channel (`session_ended`), ahead of every
 * event committed after it, and the subscription ends there (RSESS).
 *
 * The first event of every subscription is `subscribed`: the server is
 * listening, and everything committed from then on will arrive. A client
 * subscribes, waits for it, then reads the current state, and misses nothing.
 *
 * A notification carries ids, and the rows themselves when they fit (the
 * database chose the recipients at commit). `accept` may complete an event
 * whose rows did not fit by reading them as the subscriber (`read`); the
 * other fields of an event re-read their rows under the subscriber's own
 * row-level security, so nothing reaches a user that they could not query.
 */
import { randomUUID } from "node:crypto";
import { context, lambda, list, listen, SafeError, type GrafastSubscriber, type Step } from "postgraphile/grafast";
import { endingSource } from "../live-channels.ts";

/** One notification, parsed: {"event": ..., <ids>}. */
export type LiveEvent = { event: string; [key: string]: unknown };

/** Runs one query as the subscriber (their role and row-level security); returns its rows. */
export type ReadAsSubscriber = <T>(text: string, values: unknown[]) => Promise<readonly T[]>;

/** Keeps (and may reshape or complete) an event for a subscriber, or drops it (null). */
export type Accept = (
  event: LiveEvent,
  subscriber: { userId: string; chatRoomId: string | null },
  read: ReadAsSubscriber,
) => LiveEvent | null | Promise<LiveEvent | null>;

type WithPgClient = (
  pgSettings: Record<string, string> | null,
  callback: (client: { query<T>(query: { text: string; values?: unknown[] }): Promise<{ rows: readonly T[] }> }) => Promise<unknown>,
) => Promise<unknown>;

interface Subscription {
  pgSubscriber: GrafastSubscriber;
  withPgClient: WithPgClient;
  pgSettings: Record<string, string>;
  userId: string | null;
  /** The session the subscription runs for (its end ends the subscription). */
  sessionId: string | null;
  /** roomEvents: the room, lower-cased (as Postgres prints a uuid); null for userEvents. */
  chatRoomId: string | null;
}

/** How often, and how long apart, to check that the server listens before giving up. */
const LISTEN_CHECKS = 50;
const LISTEN_CHECK_INTERVAL_MS = 100;

/** The subscribe plan of a live-events field: `$chatRoomId` for a room, null for the user's inbox. */
export function liveEvents($chatRoomId: Step | null, accept: Accept): Step {
  const $subscription = lambda(
    list([
      context().get("pgSubscriber"),
      context().get("withPgClient"),
      context().get("pgSettings"),
      context().get("rtcUserId"),
      ...($chatRoomId ? [$chatRoomId] : []),
    ]),
    ([pgSubscriber, withPgClient, pgSettings, userId, chatRoomId]): GrafastSubscriber => ({
      subscribe: () =>
        openStream(
          {
            pgSubscriber: pgSubscriber as GrafastSubscriber,
            withPgClient: withPgClient as unknown as WithPgClient,
            pgSettings: pgSettings as Record<string, string>,
            userId: (userId as string | null) ?? null,
            sessionId: (pgSettings as Record<string, string>)["rtc.session_id"] ?? null,
            chatRoomId: chatRoomId == null ? null : String(chatRoomId).toLowerCase(),
          },
          accept,
        ),
    }),
    false,
  );
  return listen($subscription, "live-events");
}

async function openStream(subscription: Subscription, accept: Accept): Promise<AsyncIterableIterator<LiveEvent>> {
  const { pgSubscriber, withPgClient, pgSettings, userId, chatRoomId } = subscription;
  if (!userId) throw new SafeError("Log in to receive your events.", { code: "RAUTH" });
  const channel = (await withPgClient(pgSettings, (client) =>
    client.query<{ channel: string }>({ text: "select app_private.live_events_channel($1::uuid) as channel", values: [chatRoomId] }),
  )) as { rows: Array<{ channel: string }> };
  const name = channel.rows[0]!.channel;
  const source = (await pgSubscriber.subscribe(name)) as AsyncIterableIterator<string>;
  return endingSource(stream(source, name, subscription, accept), source);
}

async function* stream(source: AsyncIterableIterator<string>, channel: string, subscription: Subscription, accept: Accept): AsyncGenerator<LiveEvent> {
  const { userId, sessionId, chatRoomId, withPgClient, pgSettings } = subscription;
  const read: ReadAsSubscriber = async <T>(text: string, values: unknown[]) =>
    ((await withPgClient(pgSettings, (client) => client.query<T>({ text, values }))) as { rows: readonly T[] }).rows;
  const iterator = source[Symbol.asyncIterator]();
  try {
    const { early, next } = await untilListening(iterator, channel, subscription.withPgClient);
    yield { event: "subscribed", chat_room_id: chatRoomId };
    const events = early.values();
    let pending: Promise<IteratorResult<string>> | null = next;
    for (;;) {
      const buffered = events.next();
      let payload: string;
      if (!buffered.done) payload = buffered.value;
      else {
        const result: IteratorResult<string> = await (pending ?? iterator.next());
        pending = null;
        if (result.done) return;
        payload = result.value;
      }
      const parsed = JSON.parse(payload) as LiveEvent;
      if (parsed.event === "session_ended") {
        if (parsed.session_id === sessionId) throw new SafeError("Your session has expired or was ended. Log in again.", { code: "RSESS" });
        continue;
      }
      const event = await accept(parsed, { userId: userId!, chatRoomId }, read);
      if (event) yield event;
    }
  } finally {
    await iterator.return?.();
  }
}

/**
 * Notifies the channel (as the database would) until that notification comes
 * back: from then on the server surely listens. Returns what arrived before
 * it, and the read already waiting for what comes next.
 */
async function untilListening(
  iterator: AsyncIterator<string>,
  channel: string,
  withPgClient: WithPgClient,
): Promise<{ early: string[]; next: Promise<IteratorResult<string>> }> {
  const nonce = randomUUID();
  const early: string[] = [];
  let next = iterator.next();
  for (let check = 0; check < LISTEN_CHECKS; check++) {
    await withPgClient(null, (client) =>
      client.query({ text: "select pg_notify($1, $2)", values: [channel, JSON.stringify({ event: "listening", nonce })] }),
    );
    const deadline = new Promise<"late">((resolve) => setTimeout(resolve, LISTEN_CHECK_INTERVAL_MS, "late"));
    for (;;) {
      const result = await Promise.race([next, deadline]);
      if (result === "late") break;
      if (result.done) throw new Error("The event stream ended before it started.");
      next = iterator.next();
      const event = JSON.parse(result.value) as { event: string; nonce?: string };
      if (event.event === "listening") {
        if (event.nonce === nonce) return { early, next };
      } else early.push(result.value);
    }
  }
  throw new Error("The server could not start listening for your events.");
}
