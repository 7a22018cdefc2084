/**
 * Join -> match latency (npm run bench:match), on a throwaway system with the
 * real worker:
 * 1. A stream of joins: 200 male/female pairs enter the queue one after the
 *    other, every 10 ms, through enter_queue as the API calls it. For each
 *    pair, the time from the later of the two joins to the 'matched'
 *    notification (LISTEN, as the API's subscriptions receive it).
 * 2. Two scripted clients over HTTP and websockets, 20 rounds: from the first
 *    enterQueue to the male receiving 'connected', through matched, offer,
 *    answer, join and connect (log-in excluded); then 3 rounds that each start
 *    after 20 s of idleness, whose first match should be as fast as a warm one.
 */
import { performance } from "node:perf_hooks";
import pg from "pg";
import { graphqlClient, registerUser } from "../support/api.ts";
import { subscribe } from "../support/ws.ts";
import { percentile, printTable, startBenchSystem } from "./support.ts";

const PAIRS = 200;
const JOIN_INTERVAL_MS = 10;
const ROUNDS = 20;
/** Rounds played after the system sat idle for IDLE_MS (pools must stay warm). */
const IDLE_ROUNDS = 3;
const IDLE_MS = 20_000;

const system = await startBenchSystem({ api: "in-process" });
try {
  await joinStream();
  await scriptedClients();
} finally {
  await system.stop();
}

async function joinStream(): Promise<void> {
  const owner = new pg.Client({ connectionString: system.urls.owner });
  await owner.connect();
  const { rows: users } = await owner.query<{ user_id: string; session_id: string }>(
    `with new_users as (
       insert into user_schema.users (username, email, password_hash, role)
       select 'bench' || n, 'bench' || n || '@example.com', 'x', (case when n % 2 = 0 then 'male' else 'female' end)::user_schema.user_role
         from generate_series(0, $1 * 2 - 1) as n
       returning id, username
     ), profiles as (
       insert into user_schema.profiles (user_id, display_name, age, intent) select id, username, 30, 'casual' from new_users
     )
     insert into user_schema.user_sessions (user_id, token_hash, status, expires_at)
     select id, sha256(convert_to(id::text, 'utf8')), 'online', now() + interval '1 hour' from new_users
     returning user_id, id as session_id`,
    [PAIRS],
  );
  const sessionOf = new Map(users.map((row) => [row.user_id, row.session_id]));
  const byUsername = await owner.query<{ id: string; username: string }>("select id, username from user_schema.users where username like 'bench%'");
  const order = byUsername.rows.sort((a, b) => Number(a.username.slice(5)) - Number(b.username.slice(5))).map((row) => row.id);

  const matchedAt = new Map<string, number>();
  const listener = new pg.Client({ connectionString: system.urls.owner });
  await listener.connect();
  listener.on("notification", (message) => {
    if (JSON.parse(message.payload ?? "{}").event === "matched") matchedAt.set(message.channel.slice("user:".length), performance.now());
  });
  for (const id of order) await listener.query(`listen ${pg.escapeIdentifier(`user:${id}`)}`);

  const api = new pg.Pool({ connectionString: system.urls.authenticator, max: 4 });
  const joinedAt = new Map<string, number>();
  const joins: Array<Promise<void>> = [];
  for (const id of order) {
    joins.push(
      (async () => {
        const client = await api.connect();
        try {
          await client.query("begin");
          await client.query("select set_config('role', 'rtc_user', true), set_config('rtc.session_id', $1, true)", [sessionOf.get(id)]);
          await client.query("select interaction_schema.enter_queue()");
          await client.query("commit");
          joinedAt.set(id, performance.now());
        } finally {
          client.release();
        }
      })(),
    );
    await new Promise((resolve) => setTimeout(resolve, JOIN_INTERVAL_MS));
  }
  await Promise.all(joins);
  const deadline = Date.now() + 30_000;
  while (matchedAt.size < order.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));

  const calls = await owner.query<{ user1_id: string; user2_id: string }>("select user1_id, user2_id from interaction_schema.interaction_logs");
  const latencies = calls.rows.map((call) => {
    const possibleAt = Math.max(joinedAt.get(call.user1_id)!, joinedAt.get(call.user2_id)!);
    return Math.max(matchedAt.get(call.user1_id)!, matchedAt.get(call.user2_id)!) - possibleAt;
  });
  printTable(`Join -> match: ${PAIRS} pairs joining every ${JOIN_INTERVAL_MS} ms (ms from the later join to the matched event)`, [
    ["pairs matched", "p50", "p99", "max"],
    [`${calls.rows.length}/${PAIRS}`, ...[50, 99, 100].map((p) => percentile(latencies, p).toFixed(1))],
  ]);
  await api.end();
  await listener.end();
  await owner.end();
}

/** One round: Ann and Bob register and subscribe, wait `idleMs` (nothing else runs), then play from enterQueue to connected. */
async function playRound(client: ReturnType<typeof graphqlClient>, round: number, idleMs: number): Promise<{ matched: number; connected: number }> {
  const intent = ["casual", "friends", "serious", "networking"][round % 4];
  const [ann, bob] = [await registerUser(client, "female", { intent }), await registerUser(client, "male", { intent })];
  type Event = { userEvents: { event: string; interaction: { rowId: string } | null } };
  const query = "subscription { userEvents { event interaction { rowId } } }";
  const [annEvents, bobEvents] = [subscribe<Event>(client.url, query, ann.token), subscribe<Event>(client.url, query, bob.token)];
  await new Promise((resolve) => setTimeout(resolve, Math.max(100, idleMs))); // let both subscriptions start (and the system idle)

  const start = performance.now();
  await client.gql("mutation { enterQueue(input: {}) { result { queuedAt } } }", {}, ann.token);
  await client.gql("mutation { enterQueue(input: {}) { result { queuedAt } } }", {}, bob.token);
  const callId = (await annEvents.next((e) => e.userEvents.event === "matched")).userEvents.interaction!.rowId;
  await bobEvents.next((e) => e.userEvents.event === "matched");
  const matched = performance.now() - start;
  const signal = "mutation ($id: UUID!, $kind: CallSignalKind!) { sendCallSignal(input: { interactionId: $id, kind: $kind, payload: {} }) { result { rowId } } }";
  await client.gql(signal, { id: callId, kind: "offer" }, bob.token);
  await annEvents.next((e) => e.userEvents.event === "call_signal");
  await client.gql(signal, { id: callId, kind: "answer" }, ann.token);
  await bobEvents.next((e) => e.userEvents.event === "call_signal");
  for (const who of [ann, bob]) await client.gql("mutation ($id: UUID!) { joinCall(input: { interactionId: $id }) { result { rowId } } }", { id: callId }, who.token);
  await client.gql("mutation ($id: UUID!) { connect(input: { interactionId: $id }) { result { rowId } } }", { id: callId }, ann.token);
  await bobEvents.next((e) => e.userEvents.event === "connected");
  const connected = performance.now() - start;
  await Promise.all([annEvents.close(), bobEvents.close()]);
  return { matched, connected };
}

async function scriptedClients(): Promise<void> {
  const client = graphqlClient(system.apiUrl!);
  const warm: Array<{ matched: number; connected: number }> = [];
  for (let round = 0; round < ROUNDS; round++) warm.push(await playRound(client, round, 0));
  printTable(`Two scripted clients, ${ROUNDS} rounds, idle queue (ms from the first enterQueue)`, [
    ["step", "p50", "p99", "max"],
    ["both matched", ...[50, 99, 100].map((p) => percentile(warm.map((r) => r.matched), p).toFixed(1))],
    ["connected (after offer, answer, join)", ...[50, 99, 100].map((p) => percentile(warm.map((r) => r.connected), p).toFixed(1))],
  ]);
  // After a quiet spell: pools that dropped their idle connections would pay for new ones here.
  const rested: Array<{ matched: number; connected: number }> = [];
  for (let round = 0; round < IDLE_ROUNDS; round++) rested.push(await playRound(client, round, IDLE_MS));
  const [warmP50, restedP50] = [percentile(warm.map((r) => r.matched), 50), percentile(rested.map((r) => r.matched), 50)];
  printTable(`First match after ${IDLE_MS / 1000} s idle, ${IDLE_ROUNDS} rounds (ms from the first enterQueue to both matched)`, [
    ["p50", "max", "warm p50", "ratio"],
    [restedP50.toFixed(1), percentile(rested.map((r) => r.matched), 100).toFixed(1), warmP50.toFixed(1), (restedP50 / warmP50).toFixed(2)],
  ]);
}
