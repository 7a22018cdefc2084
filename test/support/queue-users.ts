/**
 * Many users entering the queue at once, as the API makes them: committed
 * users with a profile and an online device, then bursts of enter_queue
 * calls as those devices (rtc_user with their session). For the tests and
 * the benchmark of matchmaking under bursts.
 */
import pg from "pg";

export interface QueueUser {
  userId: string;
  sessionId: string;
}

/** Creates `count` users, alternately male and female, all compatible; names start with `prefix`. */
export async function createQueueUsers(pool: pg.Pool, prefix: string, count: number): Promise<QueueUser[]> {
  const { rows } = await pool.query<{ user_id: string; session_id: string }>(
    `with new_users as (
       insert into user_schema.users (username, email, password_hash, role)
       select $1 || n, $1 || n || '@example.com', 'x', (case when n % 2 = 0 then 'male' else 'female' end)::user_schema.user_role
         from generate_series(1, $2) as n
       returning id
     ), profiles as (
       insert into user_schema.profiles (user_id, display_name, age, intent) select id, 'Q', 30, 'casual' from new_users
     )
     insert into user_schema.user_sessions (user_id, token_hash, status, expires_at)
     select id, sha256(convert_to(id::text, 'utf8')), 'online', now() + interval '1 hour' from new_users
     returning user_id, id as session_id`,
    [prefix, count],
  );
  return rows.map((row) => ({ userId: row.user_id, sessionId: row.session_id }));
}

/**
 * Enters the users into the queue in bursts of `burstSize` every `intervalMs`
 * (through `api`, a pool of the authenticator role); resolves with each
 * user's queued_at once every join is committed.
 */
export async function joinInBursts(api: pg.Pool, users: QueueUser[], burstSize: number, intervalMs: number): Promise<Map<string, Date>> {
  const queuedAt = new Map<string, Date>();
  const joins: Array<Promise<void>> = [];
  for (let start = 0; start < users.length; start += burstSize) {
    for (const user of users.slice(start, start + burstSize)) {
      joins.push(
        (async () => {
          const client = await api.connect();
          try {
            await client.query("begin");
            await client.query("select set_config('role', 'rtc_user', true), set_config('rtc.session_id', $1, true)", [user.sessionId]);
            const { rows } = await client.query<{ queued_at: Date }>("select queued_at from interaction_schema.enter_queue()");
            await client.query("commit");
            queuedAt.set(user.userId, rows[0]!.queued_at);
          } finally {
            client.release();
          }
        })(),
      );
    }
    if (start + burstSize < users.length) await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  await Promise.all(joins);
  return queuedAt;
}

/** Milliseconds from each matched user's queued_at to the start of their call. */
export async function waitsToMatch(pool: pg.Pool, queuedAt: Map<string, Date>): Promise<number[]> {
  const { rows } = await pool.query<{ user_id: string; started_at: Date }>(
    `select p.user_id, l.started_at
       from interaction_schema.interaction_logs l
       cross join lateral (values (l.user1_id), (l.user2_id)) as p(user_id)
      where p.user_id = any($1)`,
    [[...queuedAt.keys()]],
  );
  return rows.map((row) => row.started_at.getTime() - queuedAt.get(row.user_id)!.getTime());
}
