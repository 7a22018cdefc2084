/**
 * Users as clients: a user with a profile and a logged-in device (its bearer
 * token), and statements run as that client exactly as the API would run them
 * (actAsToken), switching back to the superuser afterwards.
 */
import type pg from "pg";
import { actAsSuperuser, actAsToken, expectSqlError } from "./db.ts";
import { createSession, createUser, type Role, type TestUser } from "./factories.ts";

export type Player = TestUser & { token: string };

export interface PlayerProfile {
  age?: number | null;
  intent?: string;
  preferences?: object;
  country?: string;
}

export async function createPlayer(client: pg.ClientBase, role: Role, profile: PlayerProfile = {}): Promise<Player> {
  const user = await createUser(client, role);
  await client.query(
    `insert into user_schema.profiles (user_id, display_name, age, intent, preferences, location_country) values ($1, $2, $3, $4, $5, $6)`,
    [user.id, user.username, profile.age === undefined ? 30 : profile.age, profile.intent ?? "casual", JSON.stringify(profile.preferences ?? {}), profile.country ?? null],
  );
  return { ...user, token: await createSession(client, user) };
}

/** The rows of `sql` run as the player. */
export async function rowsAs<T = Record<string, any>>(client: pg.ClientBase, who: Player, sql: string, values: unknown[] = []): Promise<T[]> {
  await actAsToken(client, who.token);
  const { rows } = await client.query(sql, values);
  await actAsSuperuser(client);
  return rows as T[];
}

/** The first row of `sql` run as the player. */
export async function rowAs<T = Record<string, any>>(client: pg.ClientBase, who: Player, sql: string, values: unknown[] = []): Promise<T> {
  return (await rowsAs<T>(client, who, sql, values))[0]!;
}

/** The error `sql` raises when run as the player (the test fails when there is none). */
export async function errorAs(client: pg.ClientBase, who: Player, sql: string, values: unknown[] = []): Promise<pg.DatabaseError> {
  await actAsToken(client, who.token);
  const error = await expectSqlError(client, sql, values);
  await actAsSuperuser(client);
  return error;
}
