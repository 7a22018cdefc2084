/**
 * The other hot paths (npm run bench:paths), on a throwaway system with the
 * API server in its own process and this process as the load generator, each
 * offered open loop at a stated rate:
 * 1. sendCallSignal -> partner: 100 pairs in a live call, each partner
 *    holding userEvents; an offer of about 2 KB (an SDP) at 100 signals/s,
 *    from the send to the partner's call_signal event.
 * 2. heartbeat: every client, every minute; 200 devices at 200/s (the load
 *    of 12,000 connected clients), request -> answer.
 * 3. History paging: `messages`, first 50, newest first, of a room holding
 *    100,000 messages (among 100 other rooms' 100,000), the first page and a
 *    page deep in the history by cursor, at 50 pages/s each.
 * BENCH_PATHS_SECONDS sets each phase's length (default 5).
 */
import http from "node:http";
import { performance } from "node:perf_hooks";
import pg from "pg";
import type { Client } from "graphql-ws";
import { percentile, printTable, startBenchSystem } from "./support.ts";
import { connect, createUserWithSession, offerOpenLoop, postGraphQL, type BenchUser } from "./clients.ts";

const SECONDS = Number(process.env.BENCH_PATHS_SECONDS ?? 5);
const PAIRS = 100;
const SIGNAL_RATE = 100;
const HEARTBEAT_RATE = 200;
const PAGE_RATE = 50;
const HISTORY_MESSAGES = 100_000;
/** A request or event not back within this time counts as failed. */
const TIMEOUT_MS = 10_000;
/** The pause between two phases. */
const SETTLE_MS = 2000;

const SEND_SIGNAL = `mutation ($id: UUID!, $payload: JSON!) { sendCallSignal(input: { interactionId: $id, kind: offer, payload: $payload }) { result { rowId } } }`;
const INBOX = "subscription { userEvents { event signal { rowId payload } } }";
const HEARTBEAT = "mutation { heartbeat(input: {}) { result } }";
const PAGE = `query ($room: UUID!, $after: Cursor) {
  chatRoom(rowId: $room) { messages(orderBy: [CREATED_AT_DESC, ROW_ID_DESC], first: 50, after: $after) { nodes { rowId content createdAt senderUserId } pageInfo { endCursor } } }
}`;
/** About the size of a real SDP offer. */
const OFFER = { sdp: "v=0\r\n" + "a=candidate:0 1 UDP 2122252543 192.0.2.1 54400 typ host\r\n".repeat(36) };

interface Line {
  path: string;
  rate: string;
  latencies: number[];
  sent: number;
}

const system = await startBenchSystem({ api: "own-process", worker: false });
const lines: Line[] = [];
const agent = new http.Agent({ keepAlive: true, maxSockets: 2 * PAIRS });
try {
  const owner = new pg.Client({ connectionString: system.urls.owner });
  await owner.connect();
  const pairs: Array<{ male: BenchUser; female: BenchUser; callId: string }> = [];
  let history: Awaited<ReturnType<typeof createHistory>>;
  try {
    // The history first: the calls are created just before their signals, so none is old enough for the worker to end it.
    history = await createHistory(owner);
    for (let index = 0; index < PAIRS; index++) {
      const male = await createUserWithSession(owner, `path_m${index}`, "male");
      const female = await createUserWithSession(owner, `path_f${index}`, "female");
      const call = await owner.query<{ id: string }>(
        `insert into interaction_schema.interaction_logs (user1_id, user2_id, room_id, female_user_id) values ($1, $2, encode(gen_random_bytes(16), 'hex'), $2) returning id`,
        [male.id, female.id],
      );
      pairs.push({ male, female, callId: call.rows[0]!.id });
    }
  } finally {
    await owner.end();
  }

  lines.push(await signals(pairs));
  // The signals' 200 websockets just closed, and the API reports each close
  // to the database (app_private.device_socket_closed): let that settle, so
  // the heartbeats measure a steady state, not 200 sockets closing at once.
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  lines.push(await heartbeats(pairs.flatMap((pair) => [pair.male, pair.female])));
  lines.push(...(await pages(history)));
} finally {
  agent.destroy();
  await system.stop();
}
report();

/** sendCallSignal over HTTP -> the partner's userEvents call_signal. */
async function signals(pairs: Array<{ male: BenchUser; female: BenchUser; callId: string }>): Promise<Line> {
  const arrivals = new Map<string, (at: number) => void>();
  let live = 0;
  const clients: Client[] = pairs.map((pair) => {
    const client = connect(system.apiUrl!, pair.female.token);
    client.subscribe(
      { query: INBOX },
      {
        next: (result) => {
          const event = (result.data as { userEvents: { event: string; signal: { payload: { n?: number; sdp: string } } | null } } | null)?.userEvents;
          if (event?.event === "subscribed") live++;
          if (event?.event === "call_signal") arrivals.get(`${event.signal!.payload.n}`)?.(performance.now());
        },
        error: () => {},
        complete: () => {},
      },
    );
    return client;
  });
  try {
    while (live < pairs.length) await new Promise((resolve) => setTimeout(resolve, 10));
    const calls = await offerOpenLoop(SIGNAL_RATE, SECONDS, async (n) => {
      const pair = pairs[n % pairs.length]!;
      const arrived = new Promise<number>((resolve, reject) => {
        arrivals.set(`${n}`, resolve);
        setTimeout(() => reject(new Error(`no call_signal event for signal ${n}`)), TIMEOUT_MS);
      });
      const sentAt = performance.now();
      const response = await postGraphQL(system.apiUrl!, agent, SEND_SIGNAL, { id: pair.callId, payload: { ...OFFER, n } }, pair.male.token);
      if (!response.data?.sendCallSignal) throw new Error(JSON.stringify(response.errors));
      return (await arrived) - sentAt;
    });
    // Awaited here: the finally below closes the websockets that the last events arrive on.
    return await line(`sendCallSignal (HTTP, ~2 KB offer) -> partner's userEvents`, `${SIGNAL_RATE}/s`, calls);
  } finally {
    await Promise.all(clients.map((client) => client.dispose()));
  }
}

async function heartbeats(users: BenchUser[]): Promise<Line> {
  const calls = await offerOpenLoop(HEARTBEAT_RATE, SECONDS, (n) => timed(HEARTBEAT, {}, users[n % users.length]!.token, "heartbeat"));
  return line("heartbeat (HTTP) -> answer", `${HEARTBEAT_RATE}/s`, calls);
}

/** One room of HISTORY_MESSAGES messages among 100 other rooms' as many. */
async function createHistory(owner: pg.Client): Promise<{ roomId: string; token: string; deepCursor: string }> {
  const male = await createUserWithSession(owner, "history_m", "male");
  const female = await createUserWithSession(owner, "history_f", "female");
  const call = await owner.query<{ id: string }>(
    `insert into interaction_schema.interaction_logs (user1_id, user2_id, room_id, started_at, ended_at)
     values ($1, $2, 'history', now() - interval '2 minutes', now() - interval '1 minute') returning id`,
    [male.id, female.id],
  );
  const connection = await owner.query<{ id: string }>(
    "insert into interaction_schema.connections (user1_id, user2_id, interaction_log_id, female_user_id) values ($1, $2, $3, $2) returning id",
    [male.id, female.id, call.rows[0]!.id],
  );
  const room = await owner.query<{ id: string }>("insert into communication_schema.chat_rooms (connection_id, room_name) values ($1, 'history') returning id", [connection.rows[0]!.id]);
  const roomId = room.rows[0]!.id;
  await owner.query(
    `insert into communication_schema.messages (chat_room_id, sender_user_id, content, created_at)
     select $1, case when n % 2 = 0 then $2::uuid else $3::uuid end, 'message ' || n, now() - make_interval(secs => n)
       from generate_series(1, $4::int) as n`,
    [roomId, male.id, female.id, HISTORY_MESSAGES],
  );
  // The other rooms: the bench pairs' (connected during their call).
  await owner.query(
    `with connections as (
       insert into interaction_schema.connections (user1_id, user2_id, interaction_log_id, female_user_id)
       select l.user1_id, l.user2_id, l.id, l.user2_id from interaction_schema.interaction_logs l where l.room_id <> 'history'
       returning id
     ), rooms as (
       insert into communication_schema.chat_rooms (connection_id, room_name) select id, 'other' from connections returning id
     )
     insert into communication_schema.messages (chat_room_id, sender_user_id, content, created_at)
     select r.id, $1, 'other ' || n, now() - make_interval(secs => n) from rooms r, generate_series(1, $2::int / 100) as n`,
    [male.id, HISTORY_MESSAGES],
  );
  await owner.query("analyze communication_schema.messages");
  // A cursor 90 % deep into the history: the page after message 90,000.
  const page = await postGraphQL(system.apiUrl!, agent, PAGE.replace("first: 50", "first: 1").replace("after: $after", "offset: 90000").replace(", $after: Cursor", ""), { room: roomId }, male.token);
  const deepCursor = page.data?.chatRoom?.messages?.pageInfo?.endCursor;
  if (!deepCursor) throw new Error(`no deep cursor: ${JSON.stringify(page)}`);
  return { roomId, token: male.token, deepCursor };
}

async function pages(history: { roomId: string; token: string; deepCursor: string }): Promise<Line[]> {
  const first = await offerOpenLoop(PAGE_RATE, SECONDS, () => timed(PAGE, { room: history.roomId }, history.token, "chatRoom"));
  const deep = await offerOpenLoop(PAGE_RATE, SECONDS, () => timed(PAGE, { room: history.roomId, after: history.deepCursor }, history.token, "chatRoom"));
  return [
    await line(`messages first 50 of a ${HISTORY_MESSAGES.toLocaleString("en")}-message room (HTTP)`, `${PAGE_RATE}/s`, first),
    await line(`  the same, 90,000 messages deep (cursor)`, `${PAGE_RATE}/s`, deep),
  ];
}

/** A request's time to its answer; fails when the answer lacks `field`. */
async function timed(query: string, variables: object, token: string, field: string): Promise<number> {
  const sentAt = performance.now();
  const response = await postGraphQL(system.apiUrl!, agent, query, variables, token);
  if (!response.data?.[field] || response.errors) throw new Error(JSON.stringify(response.errors ?? response));
  return performance.now() - sentAt;
}

async function line(path: string, rate: string, calls: Array<Promise<number>>): Promise<Line> {
  const settled = await Promise.allSettled(calls);
  const latencies = settled.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
  const failed = settled.find((result) => result.status === "rejected");
  if (failed) {
    process.exitCode = 1;
    console.log(`  ${path}: ${calls.length - latencies.length} failed, e.g. ${(failed as PromiseRejectedResult).reason}`);
  }
  return { path, rate, latencies, sent: calls.length };
}

function report(): void {
  const ms = (values: number[], p: number) => (values.length ? percentile(values, p).toFixed(1) : "-");
  printTable(`Hot paths, open loop for ${SECONDS} s each (ms)`, [
    ["path", "offered", "ok", "p50", "p99", "max"],
    ...lines.map((l) => [l.path, l.rate, `${l.latencies.length}/${l.sent}`, ms(l.latencies, 50), ms(l.latencies, 99), ms(l.latencies, 100)]),
  ]);
}
