/**
 * The matchmaker task on committed queues: the rules hold, the longest
 * waiting go first, and four runners at once never put a user in two calls.
 */
import { randomBytes } from "node:crypto";
import { runOnce } from "graphile-worker";
import { superuserPool, testDatabaseUrls } from "../support/db.ts";
import { taskList } from "../../worker/task-list.ts";
import { quietWorkerLogger } from "../../worker/logger.ts";

interface Queued {
  role: "male" | "female";
  intent?: string;
  age?: number;
  waitedSeconds?: number;
  preferences?: object;
}

const prefix = `mm_${randomBytes(3).toString("hex")}_`;

/** Queues users (with profile and a queuing device) in one statement; returns their ids in input order. */
async function enqueue(users: Queued[]): Promise<string[]> {
  const batch = `${prefix}${randomBytes(2).toString("hex")}_`;
  await superuserPool().query(
    `with input as (
       select n, (doc->>'role')::user_schema.user_role as role, coalesce(doc->>'intent', 'casual')::user_schema.intent as intent, coalesce((doc->>'age')::int, 30) as age,
              coalesce((doc->>'waitedSeconds')::int, 0) as waited_seconds, coalesce(doc->'preferences', '{}') as preferences
         from jsonb_array_elements($1::jsonb) with ordinality as e(doc, n)
     ), new_users as (
       insert into user_schema.users (username, email, password_hash, role)
       select $2 || n, $2 || n || '@example.com', 'x', role from input
       returning id, username
     ), joined as (
       select input.*, new_users.id from input join new_users on new_users.username = $2 || input.n
     ), profiles as (
       insert into user_schema.profiles (user_id, display_name, age, intent, preferences)
       select id, 'P' || n, age, intent, preferences from joined
     ), sessions as (
       insert into user_schema.user_sessions (user_id, token_hash, status, expires_at)
       select id, sha256(convert_to(id::text, 'utf8')), 'queuing', now() + interval '1 hour' from joined
       returning id as session_id, user_id
     )
     insert into interaction_schema.queue_entries (user_id, session_id, queued_at)
     select joined.id, sessions.session_id, now() - make_interval(secs => joined.waited_seconds)
       from joined join sessions on sessions.user_id = joined.id`,
    [JSON.stringify(users), batch],
  );
  const { rows } = await superuserPool().query<{ id: string }>(
    "select id from user_schema.users where username like $1 order by substr(username, length($2) + 1)::int",
    [`${batch}%`, batch],
  );
  return rows.map((row) => row.id);
}

async function runMatchmakers(count: number): Promise<void> {
  for (let i = 0; i < count; i++) await superuserPool().query("select graphile_worker.add_job('match_queue', '{}'::json)");
  await Promise.all(
    Array.from({ length: count }, () => runOnce({ connectionString: testDatabaseUrls().owner, taskList, logger: quietWorkerLogger, concurrency: 1 })),
  );
}

async function callsOf(ids: string[]): Promise<Array<{ user1_id: string; user2_id: string }>> {
  const { rows } = await superuserPool().query(
    "select user1_id, user2_id from interaction_schema.interaction_logs where user1_id = any($1) or user2_id = any($1)",
    [ids],
  );
  return rows;
}

afterEach(async () => {
  await superuserPool().query("delete from user_schema.users where username like $1", [`${prefix}%`]);
});

test("pairs only a compatible male and female", async () => {
  const [male, female, otherIntent, tooOld] = await enqueue([
    { role: "male" },
    { role: "female", preferences: { age_max: 40 } },
    { role: "female", intent: "serious" },
    { role: "male", age: 50, waitedSeconds: 100 },
  ]);
  await runMatchmakers(1);
  expect(await callsOf([male!, female!, otherIntent!, tooOld!])).toEqual([{ user1_id: male, user2_id: female }]);
});

test("never pairs blocked or recently matched users (connected: test/db/queue-and-calls)", async () => {
  const [m1, f1, m2, f2] = await enqueue([{ role: "male" }, { role: "female" }, { role: "male", intent: "friends" }, { role: "female", intent: "friends" }]);
  await superuserPool().query("insert into interaction_schema.blocks values ($1, $2)", [f1, m1]);
  await superuserPool().query(
    "insert into interaction_schema.interaction_logs (user1_id, user2_id, room_id, started_at, ended_at) values ($1, $2, 'x', now() - interval '2 hours', now() - interval '2 hours')",
    [m2, f2],
  );
  await runMatchmakers(1);
  const live = await superuserPool().query("select count(*)::int as n from interaction_schema.interaction_logs where ended_at is null and user1_id = any($1)", [[m1, m2]]);
  expect(live.rows[0].n).toBe(0);
});

test("the longest-waiting user goes first", async () => {
  const [recent, longest, female] = await enqueue([
    { role: "male", waitedSeconds: 5 },
    { role: "male", waitedSeconds: 50 },
    { role: "female", waitedSeconds: 1 },
  ]);
  await runMatchmakers(1);
  expect(await callsOf([recent!, longest!, female!])).toEqual([{ user1_id: longest, user2_id: female }]);
});

test("four matchmakers at once on 1,000 queued users: nobody in two calls, every pair made", async () => {
  const users: Queued[] = Array.from({ length: 1000 }, (_, i) => ({ role: i % 2 ? "female" : "male", intent: "networking", waitedSeconds: i % 97 }));
  const ids = await enqueue(users);
  await runMatchmakers(4);

  const calls = await callsOf(ids);
  const participants = calls.flatMap((call) => [call.user1_id, call.user2_id]);
  expect(new Set(participants).size).toBe(participants.length); // nobody twice
  expect(calls).toHaveLength(500); // all 500 compatible pairs
  const left = await superuserPool().query("select count(*)::int as n from interaction_schema.queue_entries where user_id = any($1)", [ids]);
  expect(left.rows[0].n).toBe(0);
});
