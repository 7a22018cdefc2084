/**
 * Rows for tests, inserted directly as the superuser (bypassing the API) so a
 * test can set up exactly the state it needs.
 */
import { randomBytes } from "node:crypto";
import type pg from "pg";

/** Anything that runs queries: a client inside a test transaction, or a pool. */
type Queryable = Pick<pg.ClientBase, "query">;

export type Role = "male" | "female" | "admin";

export interface TestUser {
  id: string;
  username: string;
  role: Role;
}

export async function createUser(client: Queryable, role: Role, overrides: { username?: string; email?: string } = {}): Promise<TestUser> {
  const username = overrides.username ?? `${role}_${randomBytes(4).toString("hex")}`;
  const { rows } = await client.query<{ id: string }>(
    `insert into user_schema.users (username, email, password_hash, role)
     values ($1, $2, 'not-a-real-hash', $3) returning id`,
    [username, overrides.email ?? `${username}@example.com`, role],
  );
  return { id: rows[0]!.id, username, role };
}

/** A voice call between them: live by default, or one that ended a minute ago. */
export async function createCall(client: Queryable, male: TestUser, female: TestUser, state: "live" | "ended" = "live"): Promise<string> {
  const { rows } = await client.query<{ id: string }>(
    `insert into interaction_schema.interaction_logs (user1_id, user2_id, room_id, started_at, ended_at)
     values ($1, $2, encode(gen_random_bytes(16), 'hex'),
             now() - interval '2 minutes', case when $3 then now() - interval '1 minute' end) returning id`,
    [male.id, female.id, state === "ended"],
  );
  return rows[0]!.id;
}

/** A connection between them, made after a call that has ended. */
export async function createConnection(client: Queryable, male: TestUser, female: TestUser): Promise<string> {
  const callId = await createCall(client, male, female, "ended");
  const { rows } = await client.query<{ id: string }>(
    `insert into interaction_schema.connections (user1_id, user2_id, interaction_log_id, female_user_id)
     values ($1, $2, $3, $2) returning id`,
    [male.id, female.id, callId],
  );
  return rows[0]!.id;
}

/** A logged-in device of the user (online, as after log-in); returns its bearer token. */
export async function createSession(client: Queryable, user: TestUser, fields: { socketId?: string; expiresIn?: string | null } = {}): Promise<string> {
  const token = randomBytes(32).toString("hex");
  await client.query(
    `insert into user_schema.user_sessions (user_id, token_hash, socket_id, status, expires_at)
     values ($1, sha256(convert_to($2, 'utf8')), $3, 'online', now() + $4::interval)`,
    [user.id, token, fields.socketId ?? null, fields.expiresIn === undefined ? "1 hour" : fields.expiresIn],
  );
  return token;
}
