/**
 * The worst request one client can still send within the limits (README
 * "Limits"), and how long the server is busy with it: as a user of a room
 * with 100,000 messages, 14 aliased `messages { totalCount }` plus a page of
 * 100 messages (15 aliases, the most the operation limits let through). Meanwhile another user's `currentUser` and
 * /healthz are timed. Also one log-in (bcrypt) and a refused fragment bomb.
 */
import pg from "pg";
import { startBenchSystem, median, printTable } from "./support.ts";

const system = await startBenchSystem({ api: "in-process", worker: false });
const url = system.apiUrl!;
const db = new pg.Pool({ connectionString: system.urls.owner, max: 2 });

async function gql(query: string, variables: object = {}, token?: string): Promise<{ ms: number; body: any }> {
  const started = performance.now();
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  return { ms: performance.now() - started, body };
}

async function register(role: "male" | "female"): Promise<{ id: string; token: string }> {
  const username = `${role}_${Math.random().toString(36).slice(2, 10)}`;
  const input = { username, email: `${username}@example.com`, password: "correct horse battery", role, displayName: username, age: 30, intent: "casual" };
  const { body } = await gql(`mutation ($input: RegisterInput!) { register(input: $input) { result } }`, { input });
  const token = body.data.register.result;
  const me = await gql("{ currentUser { rowId } }", {}, token);
  return { id: me.body.data.currentUser.rowId, token };
}

const [ann, bob, carol] = [await register("female"), await register("male"), await register("female")];
await db.query(
  `with call as (
     insert into interaction_schema.interaction_logs (user1_id, user2_id, room_id, started_at, ended_at)
     values ($1, $2, 'r', now() - interval '2 minutes', now() - interval '1 minute') returning id),
   connection as (
     insert into interaction_schema.connections (user1_id, user2_id, interaction_log_id, female_user_id)
     select $1, $2, id, $1 from call returning id),
   room as (insert into communication_schema.chat_rooms (connection_id, room_name) select id, 'room' from connection returning id)
   insert into communication_schema.messages (chat_room_id, sender_user_id, content, created_at)
   select room.id, case when n % 2 = 0 then $1::uuid else $2::uuid end, 'message ' || n, now() - make_interval(secs => n)
     from room, generate_series(1, 100000) as n`,
  [ann.id, bob.id],
);
await db.query("analyze communication_schema.messages");

const aliases = Array.from({ length: 14 }, (_, i) => `a${i}: messages(offset: ${i}) { totalCount }`).join(" ");
const worst = `{ ${aliases} page: messages(first: 100) { nodes { rowId content createdAt } } }`;
const rows: string[][] = [];
const runs: number[] = [];
const others: number[] = [];
const health: number[] = [];
for (let run = 0; run < 3; run++) {
  const pending = gql(worst, {}, bob.token);
  let done = false;
  void pending.then(() => (done = true));
  while (!done) {
    const other = await gql("{ currentUser { rowId } }", {}, carol.token);
    others.push(other.ms);
    const started = performance.now();
    await fetch(`${url}/healthz`);
    health.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const result = await pending;
  if (result.body.errors) throw new Error(JSON.stringify(result.body.errors));
  runs.push(result.ms);
}
rows.push(["14 x messages { totalCount } + a page of 100 (15 aliases), room of 100,000", `${Math.min(...runs).toFixed(0)}-${Math.max(...runs).toFixed(0)} ms`]);
rows.push(["  meanwhile another user's currentUser", `median ${median(others).toFixed(0)} ms, max ${Math.max(...others).toFixed(0)} ms`]);
rows.push(["  meanwhile /healthz", `median ${median(health).toFixed(0)} ms, max ${Math.max(...health).toFixed(0)} ms`]);

const logins: number[] = [];
for (let i = 0; i < 3; i++) logins.push((await gql(`mutation { login(input: { usernameOrEmail: "nobody${i}", password: "wrong password" }) { result } }`)).ms);
rows.push(["one log-in (bcrypt, cost 10)", `${Math.min(...logins).toFixed(0)}-${Math.max(...logins).toFixed(0)} ms`]);

const bombs: number[] = [];
for (let i = 0; i < 3; i++) {
  const fragments = [`fragment F0 on Query { b${i}: __typename }`];
  for (let f = 1; f <= 15; f++) fragments.push(`fragment F${f} on Query { ...F${f - 1} query { ...F${f - 1} } }`);
  bombs.push((await gql(`query { ...F15 } ${fragments.join(" ")}`)).ms);
}
rows.push(["a fragment bomb (refused, RLIMT)", `${Math.min(...bombs).toFixed(0)}-${Math.max(...bombs).toFixed(0)} ms`]);

printTable("The worst requests one client can send", [["request", "time"], ...rows]);
await db.end();
await system.stop();
