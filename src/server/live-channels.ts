/**
 * The API process's LISTEN channels, capped (README "Limits", RCHAN).
 *
 * PostGraphile's PgSubscriber (@dataplan/pg) re-syncs its whole channel list
 * after every subscribe and unsubscribe, and finds the channels to drop with
 * `filter` over the channels it listens on and `Array.includes` over the ones
 * it should: time quadratic in the channels held, spent synchronously on the
 * event loop, once per change. `npm run bench:limits` measures the cliff; this
 * subclass keeps the process far below it by refusing a subscription that
 * would open one channel more than the limit (one already open is shared,
 * whatever the count).
 */
import type pg from "pg";
import { PgSubscriber } from "postgraphile/adaptors/pg";
import { SafeError } from "postgraphile/grafast";
import { onFinish } from "./websockets.ts";

export const CHANNEL_LIMIT_CODE = "RCHAN";

type Topics = { [channel: string]: string };

export class CappedPgSubscriber extends PgSubscriber<Topics> {
  /** Live subscriptions per channel. */
  readonly #subscriptions = new Map<string, number>();
  readonly #maxChannels: number;

  constructor(pool: pg.Pool, maxChannels: number) {
    super(pool);
    this.#maxChannels = maxChannels;
  }

  /** The distinct channels listened on. */
  get channelCount(): number {
    return this.#subscriptions.size;
  }

  override subscribe<TTopic extends keyof Topics>(topic: TTopic): AsyncIterableIterator<Topics[TTopic]> {
    const channel = String(topic);
    const held = this.#subscriptions.get(channel) ?? 0;
    if (held === 0 && this.#subscriptions.size >= this.#maxChannels) {
      throw new SafeError("This server is at its limit of live channels: subscribe again in a minute.", { code: CHANNEL_LIMIT_CODE });
    }
    this.#subscriptions.set(channel, held + 1);
    return onFinish(super.subscribe(topic), () => {
      const left = (this.#subscriptions.get(channel) ?? 1) - 1;
      if (left > 0) this.#subscriptions.set(channel, left);
      else this.#subscriptions.delete(channel);
    });
  }
}

/**
 * `events` (an async generator reading `source`), whose return() also ends
 * `source` at once. A generator waiting for its source's next notification
 * runs a return() only when it next yields: on a quiet channel that could be
 * never, and the LISTEN channel would stay open after the client left.
 */
export function endingSource<T>(events: AsyncGenerator<T>, source: AsyncIterator<unknown>): AsyncGenerator<T> {
  const end = events.return.bind(events);
  events.return = async (value) => {
    await source.return?.();
    return end(value);
  };
  return events;
}
