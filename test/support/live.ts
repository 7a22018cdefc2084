/**
 * For end-to-end test files: the API server and the real worker on the test
 * database for the whole file, users registered through the API and
 * websocket subscriptions, all cleaned up after the file.
 */
import { deleteUsers, registerUser, startTestApi, type RegisteredUser, type TestApi } from "./api.ts";
import { testDatabaseUrls } from "./db.ts";
import { subscribe, type EventStream } from "./ws.ts";
import { startWorker, type RunningWorker } from "../../worker/runner.ts";

export interface LiveSystem {
  readonly api: TestApi;
  /** Registers a user through the API (deleted after the file). */
  user(role: "male" | "female", overrides?: Record<string, unknown>): Promise<RegisteredUser>;
  /** Opens a subscription over a websocket (closed after the file). */
  stream<T>(query: string, token?: string, variables?: Record<string, unknown>): EventStream<T>;
  /** The user's userEvents subscription, once it is surely listening. */
  inbox<T>(query: string, user: RegisteredUser): Promise<EventStream<T>>;
  /** The user's roomEvents subscription for a room, once it is surely listening. */
  room<T>(query: string, user: RegisteredUser, chatRoomId: string): Promise<EventStream<T>>;
}

/** Resolves once the subscription says it is live (its first event, `subscribed`). */
export async function whenSubscribed<T>(events: EventStream<T>): Promise<EventStream<T>> {
  await events.next((event) => JSON.stringify(event).includes('"event":"subscribed"'), 10_000);
  return events;
}

export function useLiveSystem(): LiveSystem {
  let api: TestApi | undefined;
  let worker: RunningWorker | undefined;
  const usernames: string[] = [];
  const streams: Array<EventStream<unknown>> = [];

  beforeAll(async () => {
    api = await startTestApi();
    worker = await startWorker(testDatabaseUrls().owner);
  });
  afterAll(async () => {
    await Promise.all(streams.map((stream) => stream.close()));
    await worker?.stop();
    await deleteUsers(usernames);
    await api?.close();
  });

  return {
    get api() {
      if (!api) throw new Error("the live system starts in beforeAll");
      return api;
    },
    async user(role, overrides = {}) {
      const registered = await registerUser(this.api, role, overrides);
      usernames.push(registered.username);
      return registered;
    },
    stream<T>(query: string, token?: string, variables?: Record<string, unknown>) {
      const events = subscribe<T>(this.api.url, query, token, variables);
      streams.push(events as EventStream<unknown>);
      return events;
    },
    inbox<T>(query: string, user: RegisteredUser) {
      return whenSubscribed(this.stream<T>(query, user.token));
    },
    room<T>(query: string, user: RegisteredUser, chatRoomId: string) {
      return whenSubscribed(this.stream<T>(query, user.token, { id: chatRoomId }));
    },
  };
}
