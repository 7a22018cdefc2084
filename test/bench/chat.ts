/**
 * Chat delivery (npm run bench:chat), measured as users feel it, on a
 * throwaway system: the API server runs in its own process, this process is
 * the load generator (and the clock).
 *
 * 100 connected pairs, 200 users, each with one websocket (graphql-ws)
 * holding what an app holds: `roomEvents` of the pair's room and `userEvents`
 * (the inbox). A message goes out as `sendMessage` over HTTP (keep-alive);
 * it is delivered three times: to the partner's room stream (the latency
 * measured: send -> partner receives), the partner's inbox, and the sender's
 * own room stream.
 *
 * 1. Open loop at fixed offered rates (100, 300, 1,000 messages/s for a few
 *    seconds each): messages leave on schedule whatever the server's state,
 *    spread over the pairs, alternating direction.
 * 2. Saturation: every pair at once, each sending its next message as soon as
 *    the partner received the last one (the figures of earlier runs).
 * 3. The floor under it, in the same run on the same database: raw node-pg
 *    INSERT + pg_notify in one statement (a pool of 10, as the owner) ->
 *    LISTEN (one connection), at the same rates and at saturation.
 * 4. Memory (first, on the fresh API process): the API's RSS with 1,000 open
 *    websockets, 500 of them holding a userEvents subscription.
 *
 * Per phase: delivered/sent, p50/p95/p99/max, the API's CPU (% of one core)
 * and RSS, Postgres's CPU (the postmaster and its backends) and this load
 * generator's CPU; below the table, for the product, how long sendMessage
 * took to answer, how long the event came after it, and the API's system
 * calls per message. BENCH_CHAT_SECONDS sets a phase's length (default 5);
 * BENCH_API_NODE_OPTIONS passes node options (e.g. --cpu-prof) to the API.
 */
import http from "node:http";
import { performance } from "node:perf_hooks";
import { randomUUID } from "node:crypto";
import pg from "pg";
import type { Client } from "graphql-ws";
import { connect, createSession, createUserWithSession, offerOpenLoop, postGraphQL, type BenchUser } from "./clients.ts";
import { percentile, printTable, startBenchSystem, type BenchSystem } from "./support.ts";
import { cpuMeter, processCpuSeconds, residentMb, systemCalls, treeCpuSeconds } from "./process-stats.ts";

const PAIRS = 100;
const RATES = [100, 300, 1000];
const PHASE_SECONDS = Number(process.env.BENCH_CHAT_SECONDS ?? 5);
const SATURATION_MESSAGES_PER_PAIR = 20;
/** How long after a phase's last send its messages may still arrive. */
const DRAIN_MS = 10_000;
/** A saturation message not delivered within this time counts as failed. */
const MESSAGE_TIMEOUT_MS = 10_000;
const WARM_UP_WAIT_MS = 5_000;
const WARM_UP_TRIES = 5;
/** After a phase whose messages did not all arrive in time, how long to let them clear before the next phase. */
const RECOVER_MS = 30_000;
/** The floor's senders share a pool of the size of the API's own pool (node-pg's default). */
const FLOOR_POOL_SIZE = 10;
const MEMORY_SOCKETS = 1000;
const MEMORY_SUBSCRIPTIONS = 500;

const ROOM_EVENTS = "subscription ($id: UUID!) { roomEvents(chatRoomId: $id) { event message { rowId content } } }";
const USER_EVENTS = "subscription { userEvents { event message { rowId content } } }";
const SEND_MESSAGE = "mutation ($id: UUID!, $content: String!) { sendMessage(input: { chatRoomId: $id, content: $content }) { result { rowId } } }";

/** One statement, so the insert and the notification share a transaction (NOTIFY goes out on commit). */
const INSERT_AND_NOTIFY = `
  with m as (
    insert into communication_schema.messages (id, chat_room_id, sender_user_id, content)
    values ($1, $2, $3, $4) returning id, chat_room_id
  )
  select pg_notify('bench:' || m.chat_room_id, m.id::text) from m`;

/** One connected pair and its chat room. */
interface Pair {
  index: number;
  users: [BenchUser, BenchUser];
  roomId: string;
}

/** What happened to one message: when it left, and when each delivery arrived. */
interface Delivery {
  sentAt: number;
  /** The partner's room stream (the floor: the LISTEN connection). */
  partner?: number;
  /** The partner's inbox (product only). */
  inbox?: number;
  /** The sender's own room stream (product only). */
  echo?: number;
  error?: string;
  /** When sendMessage's HTTP response came back (product only). */
  answered?: number;
  /** Called when the partner's delivery or an error arrives (the saturation phase waits on it). */
  wake?: () => void;
}

function partnerReceived(delivery: Delivery, at: number): void {
  delivery.partner = at;
  delivery.wake?.();
}

function failed(delivery: Delivery, error: string): void {
  delivery.error = error;
  delivery.wake?.();
}

/** Resolves when the partner received the message or it failed, or after `timeoutMs`. */
function partnerOrFailure(delivery: Delivery, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (delivery.partner !== undefined || delivery.error) return resolve();
    const timer = setTimeout(resolve, timeoutMs);
    delivery.wake = () => {
      clearTimeout(timer);
      resolve();
    };
  });
}

interface PhaseResult {
  path: string;
  offered: string;
  sent: number;
  deliveries: Delivery[];
  /** Deliveries per message expected (3 through the product, 1 for the floor). */
  expected: 1 | 3;
  seconds: number;
  /** When the phase stopped counting: later arrivals are not delivered. */
  endedAt: number;
  apiCpu: number | undefined;
  apiRssMb: number | undefined;
  /** The API process's read and write system calls during the phase. */
  apiSystemCalls: { reads: number; writes: number } | undefined;
  pgCpu: number;
  loadCpu: number;
}

/** A way to send messages, with the deliveries it tracks. */
interface Path {
  name: string;
  expected: 1 | 3;
  /** Starts sending; the delivery record fills in as events arrive. */
  send(pair: Pair, from: 0 | 1, content: string): Delivery;
  complete(delivery: Delivery): boolean;
  close(): Promise<void>;
}

const system = await startBenchSystem({ api: "own-process", worker: false });
const results: PhaseResult[] = [];
let memory: { sockets: number; subscriptions: number; rssMb: number; idleRssMb: number } | undefined;
try {
  const pairs = await createPairs(system);
  // First, while the API's heap holds nothing of the load phases.
  memory = await measureMemory(system, pairs);
  await measurePath(await productPath(system, pairs), pairs);
  await measurePath(await floorPath(system, pairs), pairs);
} finally {
  await system.stop();
}
report();

// ---------------------------------------------------------------------------
// Setup (not timed)
// ---------------------------------------------------------------------------

/**
 * The pairs, written directly as the owner (registering through the API
 * would spend the setup in bcrypt): two users with profiles and an online
 * session each (the bearer token is the 64-hex string, stored as its sha256,
 * as log-in does), the ended call they met in, their connection and room.
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
  return { index, users: [male, female], roomId: room.rows[0]!.id };
}

// ---------------------------------------------------------------------------
// The product: sendMessage over HTTP -> roomEvents and userEvents over websockets
// ---------------------------------------------------------------------------

type EventData = { roomEvents?: { event: string; message: { content: string } | null }; userEvents?: { event: string; message: { content: string } | null } };

async function productPath(system: BenchSystem, pairs: Pair[]): Promise<Path> {
  const apiUrl = system.apiUrl!;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 2 * PAIRS });
  const deliveries = new Map<string, Delivery>();
  const clients: Client[] = [];
  for (const pair of pairs) {
    for (const side of [0, 1] as const) {
      const client = connect(apiUrl, pair.users[side].token);
      clients.push(client);
      const onEvent = (data: EventData | null | undefined) => {
        const at = performance.now();
        const room = data?.roomEvents;
        const inbox = data?.userEvents;
        const content = room?.message?.content ?? inbox?.message?.content;
        const delivery = content === undefined ? undefined : deliveries.get(content);
        if (!delivery) return;
        if (inbox) delivery.inbox = at;
        else if (room?.event === "message_created") {
          // Which side sent it is in the content: "<side>:<id>".
          if (content!.startsWith(`${side}:`)) delivery.echo = at;
          else partnerReceived(delivery, at);
        }
      };
      const sink = { next: (result: { data?: unknown }) => onEvent(result.data as EventData), error: (error: unknown) => console.error("subscription error", error), complete: () => {} };
      client.subscribe({ query: ROOM_EVENTS, variables: { id: pair.roomId } }, sink);
      client.subscribe({ query: USER_EVENTS }, sink);
    }
  }
  return {
    name: "sendMessage (HTTP) -> roomEvents (websocket)",
    expected: 3,
    send(pair, from, content) {
      const tagged = `${from}:${content}`;
      const delivery: Delivery = { sentAt: performance.now() };
      deliveries.set(tagged, delivery);
      postGraphQL(apiUrl, agent, SEND_MESSAGE, { id: pair.roomId, content: tagged }, pair.users[from].token).then(
        (response) => {
          delivery.answered = performance.now();
          if (!response.data?.sendMessage?.result?.rowId) failed(delivery, JSON.stringify(response.errors ?? response));
        },
        (error: Error) => failed(delivery, error.message),
      );
      return delivery;
    },
    complete: (d) => d.partner !== undefined && d.inbox !== undefined && d.echo !== undefined,
    async close() {
      await Promise.all(clients.map((client) => client.dispose()));
      agent.destroy();
    },
  };
}

// ---------------------------------------------------------------------------
// The floor: raw node-pg INSERT + pg_notify -> LISTEN
// ---------------------------------------------------------------------------

async function floorPath(system: BenchSystem, pairs: Pair[]): Promise<Path> {
  // Senders: as the owner (no row-level security, no session look-up): the
  // bare cost of the write and the NOTIFY.
  const senders = new pg.Pool({ connectionString: system.urls.owner, max: FLOOR_POOL_SIZE });
  // One LISTEN connection for all rooms, as the API's subscriber holds one for all its subscriptions.
  const listener = new pg.Client({ connectionString: system.urls.owner });
  await listener.connect();
  const deliveries = new Map<string, Delivery>();
  listener.on("notification", (notification) => {
    const delivery = deliveries.get(notification.payload ?? "");
    if (delivery) partnerReceived(delivery, performance.now());
  });
  for (const pair of pairs) await listener.query(`listen ${pg.escapeIdentifier(`bench:${pair.roomId}`)}`);
  return {
    name: `raw node-pg insert + pg_notify (pool of ${FLOOR_POOL_SIZE}) -> LISTEN (1 connection)`,
    expected: 1,
    send(pair, from, content) {
      const id = randomUUID();
      const delivery: Delivery = { sentAt: performance.now() };
      deliveries.set(id, delivery);
      senders.query(INSERT_AND_NOTIFY, [id, pair.roomId, pair.users[from].id, content]).catch((error: Error) => failed(delivery, error.message));
      return delivery;
    },
    complete: (d) => d.partner !== undefined,
    async close() {
      await listener.end();
      await senders.end();
    },
  };
}

// ---------------------------------------------------------------------------
// Phases
// ---------------------------------------------------------------------------

async function measurePath(path: Path, pairs: Pair[]): Promise<void> {
  try {
    await warmUp(path, pairs);
    for (const rate of RATES) results.push(await openLoop(path, pairs, rate));
    results.push(await saturation(path, pairs));
  } finally {
    await path.close();
  }
}

/** Until one message each way per pair arrives everywhere: proves every subscription is listening, warms pools and plans. */
async function warmUp(path: Path, pairs: Pair[]): Promise<void> {
  await Promise.all(
    pairs.map(async (pair) => {
      for (const from of [0, 1] as const) {
        for (let attempt = 1; ; attempt++) {
          const delivery = path.send(pair, from, `warm-up ${attempt} ${randomUUID()}`);
          if (await settled([delivery], path, WARM_UP_WAIT_MS)) break;
          if (attempt >= WARM_UP_TRIES) throw new Error(`warm-up of pair ${pair.index} failed ${WARM_UP_TRIES} times: ${delivery.error ?? `not delivered ${JSON.stringify(delivery)}`}`);
        }
      }
    }),
  );
}

/** Resolves true when every delivery is complete (or failed to send), false at the deadline. */
async function settled(deliveries: Delivery[], path: Path, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (deliveries.every((d) => path.complete(d) || d.error)) return deliveries.every((d) => !d.error);
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

function meters(): () => Pick<PhaseResult, "apiCpu" | "apiRssMb" | "apiSystemCalls" | "pgCpu" | "loadCpu"> {
  const api = system.apiPid === undefined ? undefined : cpuMeter(() => processCpuSeconds(system.apiPid!));
  const apiCallsBefore = system.apiPid === undefined ? undefined : systemCalls(system.apiPid);
  const postgres = cpuMeter(() => treeCpuSeconds(system.postgresPid));
  const load = cpuMeter(() => {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1e6;
  });
  return () => {
    const apiCalls = apiCallsBefore && systemCalls(system.apiPid!);
    return {
      apiCpu: api?.(),
      apiRssMb: system.apiPid === undefined ? undefined : residentMb(system.apiPid),
      apiSystemCalls: apiCalls && { reads: apiCalls.reads - apiCallsBefore!.reads, writes: apiCalls.writes - apiCallsBefore!.writes },
      pgCpu: postgres(),
      loadCpu: load(),
    };
  };
}

/** Messages leave on schedule (rate per second, spread over the pairs), whether or not earlier ones arrived. */
async function openLoop(path: Path, pairs: Pair[], rate: number): Promise<PhaseResult> {
  const total = Math.round(rate * PHASE_SECONDS);
  const deliveries: Delivery[] = [];
  const read = meters();
  const start = performance.now();
  await offerOpenLoop(rate, PHASE_SECONDS, async (sent) => {
    const pair = pairs[sent % pairs.length]!;
    const from = (Math.floor(sent / pairs.length) % 2) as 0 | 1;
    deliveries.push(path.send(pair, from, `rate ${rate} message ${sent}`));
  });
  await settled(deliveries, path, DRAIN_MS);
  const endedAt = performance.now();
  const phase = { path: path.name, offered: `${rate}/s`, sent: total, deliveries, expected: path.expected, seconds: (endedAt - start) / 1000, endedAt, ...read() };
  await settled(deliveries, path, RECOVER_MS);
  return phase;
}

/** Every pair at once, each sending its next message as soon as the partner received the last. */
async function saturation(path: Path, pairs: Pair[]): Promise<PhaseResult> {
  const deliveries: Delivery[] = [];
  const read = meters();
  const start = performance.now();
  await Promise.all(
    pairs.map(async (pair) => {
      for (let n = 0; n < SATURATION_MESSAGES_PER_PAIR; n++) {
        const delivery = path.send(pair, (n % 2) as 0 | 1, `saturation ${n} of pair ${pair.index}`);
        deliveries.push(delivery);
        await partnerOrFailure(delivery, MESSAGE_TIMEOUT_MS);
      }
    }),
  );
  const endedAt = performance.now();
  const phase = { path: path.name, offered: "saturation", sent: deliveries.length, deliveries, expected: path.expected, seconds: (endedAt - start) / 1000, endedAt, ...read() };
  await settled(deliveries, path, RECOVER_MS);
  return phase;
}

/** The API's RSS with MEMORY_SOCKETS websockets open, MEMORY_SUBSCRIPTIONS of them subscribed to userEvents. */
async function measureMemory(system: BenchSystem, pairs: Pair[]): Promise<typeof memory> {
  const owner = new pg.Client({ connectionString: system.urls.owner });
  await owner.connect();
  const users = pairs.flatMap((pair) => pair.users);
  const tokens: string[] = [];
  for (let n = 0; n < MEMORY_SOCKETS; n++) tokens.push(await createSession(owner, users[n % users.length]!.id));
  await owner.end();
  const idleRssMb = residentMb(system.apiPid!);
  let connected = 0;
  const clients = tokens.map((token) => connect(system.apiUrl!, token, false, () => connected++));
  const listening = new Set<number>();
  try {
    await until(() => connected === MEMORY_SOCKETS, 30_000, "websockets connected");
    clients.slice(0, MEMORY_SUBSCRIPTIONS).forEach((client, n) =>
      client.subscribe({ query: USER_EVENTS }, { next: () => listening.add(n), error: () => {}, complete: () => {} }),
    );
    // Each subscription's first event says it is live.
    await until(() => listening.size === MEMORY_SUBSCRIPTIONS, 30_000, "subscriptions live");
    return { sockets: MEMORY_SOCKETS, subscriptions: MEMORY_SUBSCRIPTIONS, rssMb: residentMb(system.apiPid!), idleRssMb };
  } finally {
    await Promise.all(clients.map((client) => client.dispose()));
  }
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string, pollMs = 10): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

// ---------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------

function arrived(at: number | undefined, phase: PhaseResult): boolean {
  return at !== undefined && at <= phase.endedAt;
}

function latencies(phase: PhaseResult): number[] {
  return phase.deliveries.filter((d) => arrived(d.partner, phase)).map((d) => d.partner! - d.sentAt);
}

function report(): void {
  const ms = (values: number[], p: number) => (values.length ? percentile(values, p).toFixed(1) : "-");
  const rows = results.map((phase) => {
    const partner = latencies(phase);
    const complete = phase.deliveries.filter((d) => arrived(d.partner, phase) && arrived(d.inbox, phase) && arrived(d.echo, phase)).length;
    const cpuPerMessage = (cpu: number | undefined) => (cpu === undefined || partner.length === 0 ? "-" : ((cpu / 100) * phase.seconds * 1000 / partner.length).toFixed(2));
    return [
      phase.offered,
      phase.expected === 3 ? "product" : "floor",
      `${partner.length}/${phase.sent}`,
      phase.expected === 3 ? `${complete}/${phase.sent}` : "-",
      ms(partner, 50),
      ms(partner, 95),
      ms(partner, 99),
      ms(partner, 100),
      (partner.length / phase.seconds).toFixed(0),
      phase.expected === 1 ? "-" : `${phase.apiCpu?.toFixed(0)} (${cpuPerMessage(phase.apiCpu)})`,
      phase.apiRssMb === undefined || phase.expected === 1 ? "-" : phase.apiRssMb.toFixed(0),
      `${phase.pgCpu.toFixed(0)} (${cpuPerMessage(phase.pgCpu)})`,
      phase.loadCpu.toFixed(0),
    ];
  });
  printTable(
    `Chat: ${PAIRS} pairs, ${2 * PAIRS} websockets (roomEvents + userEvents each); ${PHASE_SECONDS} s per offered rate; ` +
      `saturation = every pair sending its next message when the last arrived (${SATURATION_MESSAGES_PER_PAIR} each). ` +
      `Latency in ms from send to the partner receiving; CPU in % of one core (ms of CPU per delivered message)`,
    [
      ["offered", "path", "delivered", "all 3 (room, inbox, echo)", "p50", "p95", "p99", "max", "messages/s", "API CPU", "API RSS MB", "PG CPU", "load CPU"],
      ...rows,
    ],
  );
  const productSaturation = results.find((r) => r.expected === 3 && r.offered === "saturation");
  const floorSaturation = results.find((r) => r.expected === 1 && r.offered === "saturation");
  if (productSaturation && floorSaturation) {
    const rate = (phase: PhaseResult) => latencies(phase).length / phase.seconds;
    console.log(`\n  saturation: product ${rate(productSaturation).toFixed(0)} messages/s = ${((100 * rate(productSaturation)) / rate(floorSaturation)).toFixed(1)} % of the floor's ${rate(floorSaturation).toFixed(0)}`);
  }
  // Where a product latency comes from: the request (send -> HTTP answer) or the delivery (answer -> partner, negative when the event wins).
  for (const phase of results.filter((r) => r.expected === 3)) {
    const answered = phase.deliveries.filter((d) => d.answered !== undefined).map((d) => d.answered! - d.sentAt);
    const afterAnswer = phase.deliveries.filter((d) => d.answered !== undefined && d.partner !== undefined).map((d) => d.partner! - d.answered!);
    const spread = (values: number[]) => `p50 ${ms(values, 50)}, p95 ${ms(values, 95)}, p99 ${ms(values, 99)}`;
    const perMessage = (count: number) => (count / Math.max(1, latencies(phase).length)).toFixed(1);
    const calls = phase.apiSystemCalls ? `; API system calls per message: ${perMessage(phase.apiSystemCalls.writes)} writes, ${perMessage(phase.apiSystemCalls.reads)} reads` : "";
    console.log(`  product at ${phase.offered}: sendMessage answered ${spread(answered)}; partner event after the answer ${spread(afterAnswer)}${calls}`);
  }
  if (memory) {
    console.log(`  memory: API RSS ${memory.rssMb.toFixed(0)} MB with ${memory.sockets} open websockets and ${memory.subscriptions} subscriptions (${memory.idleRssMb.toFixed(0)} MB before they opened)`);
  }
  for (const phase of results) {
    const failed = phase.deliveries.filter((d) => !arrived(d.partner, phase));
    if (failed.length === 0) continue;
    process.exitCode = 1;
    console.log(`\n  ${phase.path} at ${phase.offered}: ${failed.length} not delivered; first errors: ${[...new Set(failed.map((d) => d.error ?? "no event"))].slice(0, 3).join("; ")}`);
  }
}
