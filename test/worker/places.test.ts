/**
 * Countries and cities have one normalisation, in SQL
 * (app_private.normalized_place): the matchmaker pairs on the values
 * queue_snapshot gives it, so TypeScript and create_match never disagree
 * about a pair (under the C locale, SQL lower() folds ASCII only).
 */
import { runOnce } from "graphile-worker";
import { superuserPool, testDatabaseUrls } from "../support/db.ts";
import { createPlayer, type Player } from "../support/players.ts";
import { taskList } from "../../worker/task-list.ts";
import { quietWorkerLogger } from "../../worker/logger.ts";

const players: Player[] = [];

afterAll(async () => {
  await superuserPool().query("delete from user_schema.users where id = any($1)", [players.map((p) => p.id)]);
});

/** A queued user who wants the same country, from the given place. */
async function queued(role: "male" | "female", intent: string, country: string, city: string): Promise<Player> {
  const client = await superuserPool().connect();
  try {
    const player = await createPlayer(client, role, { intent, country, preferences: { same_country_only: true } });
    players.push(player);
    await client.query("update user_schema.profiles set location_city = $2 where user_id = $1", [player.id, city]);
    const session = await client.query("select id from user_schema.user_sessions where user_id = $1", [player.id]);
    await client.query("insert into interaction_schema.queue_entries (user_id, session_id) values ($1, $2)", [player.id, session.rows[0].id]);
    return player;
  } finally {
    client.release();
  }
}

test("Österreich and österreich, İstanbul and istanbul: one place in SQL and in the matchmaker, and both pairs are matched", async () => {
  const db = superuserPool();
  const austria = [await queued("male", "serious", "ÖSTERREICH", "Wien"), await queued("female", "serious", "österreich", " wien ")];
  const turkey = [await queued("male", "networking", "Türkiye", "İSTANBUL"), await queued("female", "networking", "TÜRKIYE", "istanbul")];

  const snapshot = await db.query<{ user_id: string; country: string; city: string }>("select user_id, country, city from app_private.queue_snapshot()");
  const place = (player: Player) => snapshot.rows.find((row) => row.user_id === player.id)!;
  expect(place(austria[0]!)).toMatchObject({ country: "osterreich", city: "wien" });
  expect(place(austria[1]!)).toMatchObject({ country: "osterreich", city: "wien" });
  expect(place(turkey[0]!)).toMatchObject({ country: "turkiye", city: "istanbul" });
  expect(place(turkey[1]!)).toMatchObject({ country: "turkiye", city: "istanbul" });

  await db.query("select graphile_worker.add_job('match_queue', '{}'::json)");
  await runOnce({ connectionString: testDatabaseUrls().owner, taskList, logger: quietWorkerLogger });
  const calls = await db.query("select user1_id, user2_id from interaction_schema.interaction_logs where user1_id = any($1) order by user1_id", [
    players.map((p) => p.id),
  ]);
  expect(calls.rows).toEqual(
    [austria, turkey].map(([male, female]) => ({ user1_id: male!.id, user2_id: female!.id })).sort((a, b) => (a.user1_id < b.user1_id ? -1 : 1)),
  );
});
