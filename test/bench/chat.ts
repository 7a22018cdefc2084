/**
 * Chat delivery (npm run bench:chat), on a throwaway system with the real API
 * server: 100 connected pairs, each sending 20 messages one after the other,
 * all pairs at once. Two ways to get a message from one partner to the other,
 * on the same database, side by side:
 * 1. Through the product: the male partner calls the sendMessage mutation over
 *    HTTP with his bearer token; the female partner receives message_created
 *    from her roomEvents subscription over a websocket (graphql-ws).
 * 2. The floor underneath it: raw node-pg, one statement per message that
 *    inserts the message and pg_notify's its id in the same transaction, and a
 *    LISTEN connection on the receiving side.
 * Latency is per message, from just before the request to the event's arrival
 * on the receiving side (one process, one clock); throughput is the messages
 * delivered per second over the whole run.
 */
import { performance } from "node:perf_hooks";
import { randomBytes, randomUUID } from "node:crypto";
import pg from "pg";
import { graphqlClient, type GraphQLClient } from "../support/api.ts";
import { subscribe, type EventStream } from "../support/ws.ts";
import { percentile, printTable, startBenchSystem, type BenchSystem } from "./support.ts";

const PAIRS = 100;
const MESSAGES_PER_PAIR = 20;
/** A message not delivered within this time counts as failed. */
const MESSAGE_TIMEOUT_MS = 10_000;
/** Warm-up: how long to wait for each try, and how many tries before giving up. */
const WARM_UP_WAIT_MS = 1_000;
const WARM_UP_TRIES = 10;
/**
 * The baseline's senders share a pool of this size: PostGraphile's pgService
 * (src/server/preset.ts) sets no pool size, so the API's own pool has
 * node-pg's default of 10 connections.
 */
const BASELINE_POOL_SIZE = 10;

// The product's path: the sender's mutation, the receiver's subscription.
const ROOM_EVENTS = "subscription ($id: UUID!) { roomEvents(chatRoomId: $id) { event message { rowId content } } }";
const SEND_MESSAGE = "mutation ($id: UUID!, $content: String!) { sendMessage(input: { chatRoomId: $id, content: $content }) { result { rowId } } }";

// The baseline's path.
/** One statement, so the insert and the notification share a transaction (NOTIFY goes out on commit). */
const INSERT_AND_NOTIFY = `
  with m as (
    insert into communication_schema.messages (id, chat_room_id, sender_user_id, content)
    values ($1, $2, $3, $4) returning id, chat_room_id
  )
  select pg_notify('bench:' || m.chat_room_id, m.id::text) from m`;

/** One connected pair: the male sends, the female receives, in their chat room. */
interface Pair {
  index: number;
  maleId: string;
  maleToken: string;
  femaleToken: string;
  roomId: string;
}

interface RunResult {
  /** ms from just before sending to the partner receiving, per delivered message. */
  latencies: number[];
  failures: string[];
  seconds: number;
}

/** Delivers message `n` of a pair and resolves with its latency in ms. */
type Deliver = (pair: Pair, n: number) => Promise<number>;

const system = await startBenchSystem({ api: true });
try {
  const pairs = await createPairs(system);
  const product = await benchProduct(system, pairs);
  const baseline = await benchBaseline(system, pairs);
  report(product, baseline);
} finally {
  await system.stop();
}

// ---------------------------------------------------------------------------
// Setup (not timed)
// ---------------------------------------------------------------------------

/**
 * 100 male/female pairs, written directly as the owner: registering through
 * the API would spend the setup in bcrypt. Each pair gets what sendMessage
 * checks: two users with profiles, an online session each (the bearer token
 * is the 64-hex string, stored as its sha256, as log-in does), the ended call
 * they met in, their connection and its chat room.
 */
async function createPairs(system: BenchSystem): Promise<Pair[]> {
  const owner = new pg.Client({ connectionString: system.urls.owner });
  await owner.connect();
  try {
    const pairs: Pair[] = [];
    for (let index = 0; index < PAIRS; index++) pairs.push(await createPair(owner, index));
    return pairs;
  } finally {
    await owner.end();
  }
}

async function createPair(owner: pg.Client, index: number): Promise<Pair> {
  await owner.query("begin");
  const male = await createUserWithSession(owner, `chat_m${index}`, "male");
  const female = await createUserWithSession(owner, `chat_f${index}`, "female");
  // Separate statements, not one CTE: the triggers on connections look up the
  // call and the users' roles, which rows inserted by the same statement would hide.
  const call = await owner.query<{ id: string }>(
    `insert into interaction_schema.interaction_logs (user1_id, user2_id, room_id, started_at, ended_at)
     values ($1, $2, encode(gen_random_bytes(16), 'hex'), now() - interval '2 minutes', now() - interval '1 minute')
     returning id`,
    [male.id, female.id],
  );
  const connection = await owner.query<{ id: string }>(
    `insert into interaction_schema.connections (user1_id, user2_id, interaction_log_id, female_user_id)
     values ($1, $2, $3, $2) returning id`,
    [male.id, female.id, call.rows[0]!.id],
  );
  const room = await owner.query<{ id: string }>(
    "insert into communication_schema.chat_rooms (connection_id, room_name) values ($1, $2) returning id",
    [connection.rows[0]!.id, `bench-chat-${index}`],
  );
  await owner.query("commit");
  return { index, maleId: male.id, maleToken: male.token, femaleToken: female.token, roomId: room.rows[0]!.id };
}

async function createUserWithSession(owner: pg.Client, username: string, role: "male" | "female"): Promise<{ id: string; token: string }> {
  const token = randomBytes(32).toString("hex");
  const { rows } = await owner.query<{ id: string }>(
    `with new_user as (
       insert into user_schema.users (username, email, password_hash, role)
       values ($1::text, $1::text || '@example.com', 'x', $2) returning id
     ), profile as (
       insert into user_schema.profiles (user_id, display_name, age) select id, $1::text, 30 from new_user
     ), session as (
       insert into user_schema.user_sessions (user_id, token_hash, status, expires_at)
       select id, sha256(convert_to($3, 'utf8')), 'online', now() + interval '1 hour' from new_user
     )
     select id from new_user`,
    [username, role, token],
  );
  return { id: rows[0]!.id, token };
}

// ---------------------------------------------------------------------------
// 1. Through the product: sendMessage over HTTP -> roomEvents over websockets
// ---------------------------------------------------------------------------

type RoomEvent = { roomEvents: { event: string; message: { rowId: string; content: string } | null } };

async function benchProduct(system: BenchSystem, pairs: Pair[]): Promise<RunResult> {
  const client = graphqlClient(system.apiUrl!);
  const streams = pairs.map((pair) => subscribe<RoomEvent>(client.url, ROOM_EVENTS, pair.femaleToken, { id: pair.roomId }));
  try {
    const deliver: Deliver = (pair, n) => sendThroughApi(client, streams[pair.index]!, pair, `message ${n} of pair ${pair.index}`, MESSAGE_TIMEOUT_MS);
    // A subscription is live only once the server LISTENs on its channel, which
    // graphql-ws does not tell the client: a warm-up message that arrives proves it.
    await warmUp(pairs, (pair, attempt) => sendThroughApi(client, streams[pair.index]!, pair, `warm-up ${attempt} of pair ${pair.index}`, WARM_UP_WAIT_MS));
    return await runPairs(pairs, deliver);
  } finally {
    await Promise.all(streams.map((stream) => stream.close()));
  }
}

async function sendThroughApi(client: GraphQLClient, stream: EventStream<RoomEvent>, pair: Pair, content: string, timeoutMs: number): Promise<number> {
  // Start waiting before sending: the event can arrive before the HTTP response.
  // The message's id is not known yet, so the event is recognised by its content.
  // next() wakes on the websocket message itself, so the time taken when it
  // resolves is the arrival time (a few microtasks later).
  const received = stream
    .next((e) => e.roomEvents.event === "message_created" && e.roomEvents.message?.content === content, timeoutMs)
    .then((event) => ({ event, at: performance.now() }));
  received.catch(() => {}); // if the send fails, this one times out unobserved
  const sentAt = performance.now();
  const response = await withTimeout(client.gql<{ sendMessage: { result: { rowId: string } } }>(SEND_MESSAGE, { id: pair.roomId, content }, pair.maleToken), timeoutMs, "sendMessage");
  const rowId = response.data?.sendMessage?.result?.rowId;
  if (!rowId) throw new Error(`sendMessage failed: ${JSON.stringify(response.errors)}`);
  const { event, at } = await received;
  if (event.roomEvents.message?.rowId !== rowId) throw new Error(`received message ${event.roomEvents.message?.rowId}, sent ${rowId}`);
  return at - sentAt;
}

// ---------------------------------------------------------------------------
// 2. Baseline: raw node-pg INSERT + pg_notify -> LISTEN
// ---------------------------------------------------------------------------

async function benchBaseline(system: BenchSystem, pairs: Pair[]): Promise<RunResult> {
  // Senders: one pool the size of the API's, as the owner (no row-level
  // security, no session look-up: the bare cost of the write and the NOTIFY).
  const senders = new pg.Pool({ connectionString: system.urls.owner, max: BASELINE_POOL_SIZE });
  // Receivers: one LISTEN connection for all 100 rooms, as the API's
  // pgSubscriber holds one LISTEN connection for all its subscriptions.
  const listener = new pg.Client({ connectionString: system.urls.owner });
  await listener.connect();
  const waiting = new Map<string, (at: number) => void>();
  listener.on("notification", (notification) => {
    const at = performance.now();
    const arrived = waiting.get(notification.payload ?? "");
    waiting.delete(notification.payload ?? "");
    arrived?.(at);
  });
  try {
    for (const pair of pairs) await listener.query(`listen ${pg.escapeIdentifier(`bench:${pair.roomId}`)}`);
    const send = (pair: Pair, content: string, timeoutMs: number) => sendThroughPg(senders, waiting, pair, content, timeoutMs);
    // Warm-up for the same reasons as the product's: open the pool's connections, plan the statement.
    await warmUp(pairs, (pair, attempt) => send(pair, `baseline warm-up ${attempt} of pair ${pair.index}`, WARM_UP_WAIT_MS));
    return await runPairs(pairs, (pair, n) => send(pair, `baseline message ${n} of pair ${pair.index}`, MESSAGE_TIMEOUT_MS));
  } finally {
    await listener.end();
    await senders.end();
  }
}

async function sendThroughPg(senders: pg.Pool, waiting: Map<string, (at: number) => void>, pair: Pair, content: string, timeoutMs: number): Promise<number> {
  // The id is chosen here so that the wait can start before the send, keyed by the payload to come.
  const id = randomUUID();
  const received = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      waiting.delete(id);
      reject(new Error(`no notification within ${timeoutMs} ms`));
    }, timeoutMs);
    waiting.set(id, (at) => {
      clearTimeout(timer);
      resolve(at);
    });
  });
  received.catch(() => {}); // if the send fails, this one times out unobserved
  const sentAt = performance.now();
  await withTimeout(senders.query(INSERT_AND_NOTIFY, [id, pair.roomId, pair.maleId, content]), timeoutMs, "insert");
  return (await received) - sentAt;
}

// ---------------------------------------------------------------------------
// Running and reporting
// ---------------------------------------------------------------------------

/** Every pair at once, each sending one message after the other. */
async function runPairs(pairs: Pair[], deliver: Deliver): Promise<RunResult> {
  const latencies: number[] = [];
  const failures: string[] = [];
  const start = performance.now();
  await Promise.all(
    pairs.map(async (pair) => {
      for (let n = 0; n < MESSAGES_PER_PAIR; n++) {
        try {
          latencies.push(await deliver(pair, n));
        } catch (error) {
          failures.push(`pair ${pair.index}, message ${n}: ${(error as Error).message}`);
        }
      }
    }),
  );
  return { latencies, failures, seconds: (performance.now() - start) / 1000 };
}

/** One message per pair that arrives; retried, since the first may be sent before the receiver listens. */
async function warmUp(pairs: Pair[], send: (pair: Pair, attempt: number) => Promise<number>): Promise<void> {
  await Promise.all(
    pairs.map(async (pair) => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await send(pair, attempt);
        } catch (error) {
          if (attempt >= WARM_UP_TRIES) throw new Error(`warm-up of pair ${pair.index} failed ${WARM_UP_TRIES} times: ${(error as Error).message}`);
        }
      }
    }),
  );
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function report(product: RunResult, baseline: RunResult): void {
  const total = PAIRS * MESSAGES_PER_PAIR;
  const row = (name: string, run: RunResult) => [
    name,
    `${run.latencies.length}/${total}`,
    ...[50, 99, 100].map((p) => (run.latencies.length ? percentile(run.latencies, p).toFixed(1) : "-")),
    (run.latencies.length / run.seconds).toFixed(0),
  ];
  printTable(`Chat: ${PAIRS} pairs x ${MESSAGES_PER_PAIR} messages, pairs concurrent, each pair's messages in sequence (ms from send to the partner receiving)`, [
    ["path", "delivered", "p50", "p99", "max", "messages/s"],
    row("sendMessage (HTTP) -> roomEvents (websocket)", product),
    row(`raw node-pg insert + pg_notify (pool of ${BASELINE_POOL_SIZE}) -> LISTEN (1 connection)`, baseline),
  ]);
  for (const [name, run] of [["product", product], ["baseline", baseline]] as const) {
    if (run.failures.length === 0) continue;
    process.exitCode = 1;
    console.log(`\n${name}: ${run.failures.length} failed, first ones:\n  ${run.failures.slice(0, 5).join("\n  ")}`);
  }
}
