/** The seed's functions and triggers behave as the seed describes them. */
import { withRollback } from "../support/db.ts";
import { createConnection, createSession, createUser } from "../support/factories.ts";

test("get_connection_partner returns the other side of an active connection, else null", () =>
  withRollback(async (client) => {
    const [male, female, stranger] = [await createUser(client, "male"), await createUser(client, "female"), await createUser(client, "male")];
    const connectionId = await createConnection(client, male, female);
    const partner = async (userId: string) =>
      (await client.query("select public.get_connection_partner($1, $2) as id", [userId, connectionId])).rows[0].id;

    expect(await partner(male.id)).toBe(female.id);
    expect(await partner(female.id)).toBe(male.id);
    expect(await partner(stranger.id)).toBeNull();

    await client.query("update interaction_schema.connections set is_active = false where id = $1", [connectionId]);
    expect(await partner(male.id)).toBeNull();
  }));

test("is_female_user answers from the user's role", () =>
  withRollback(async (client) => {
    const isFemale = async (userId: string) => (await client.query("select public.is_female_user($1) as f", [userId])).rows[0].f;
    expect(await isFemale((await createUser(client, "female")).id)).toBe(true);
    expect(await isFemale((await createUser(client, "male")).id)).toBe(false);
    expect(await isFemale((await createUser(client, "admin")).id)).toBe(false);
    expect(await isFemale("00000000-0000-0000-0000-000000000000")).toBeNull();
  }));

test("cleanup_expired_sessions deletes only sessions past expires_at", () =>
  withRollback(async (client) => {
    const user = await createUser(client, "male");
    await createSession(client, user, { socketId: "expired", expiresIn: "-1 second" });
    await createSession(client, user, { socketId: "valid", expiresIn: "1 hour" });
    await createSession(client, user, { socketId: "no-expiry", expiresIn: null });
    await client.query("select public.cleanup_expired_sessions()");
    const { rows } = await client.query("select socket_id from user_schema.user_sessions where user_id = $1 order by 1", [user.id]);
    expect(rows.map((row) => row.socket_id)).toEqual(["no-expiry", "valid"]);
  }));

test("cleanup_old_interactions deletes old calls without a connection, keeping connected ones", () =>
  withRollback(async (client) => {
    const [male, female] = [await createUser(client, "male"), await createUser(client, "female")];
    const call = async (room: string, daysAgo: number, outcome: string) =>
      client.query(
        `insert into interaction_schema.interaction_logs (user1_id, user2_id, room_id, started_at, ended_at, outcome)
         values ($1, $2, $3, now() - make_interval(days => $4), now() - make_interval(days => $4) + interval '5 minutes', $5)`,
        [male.id, female.id, room, daysAgo, outcome],
      );
    await call("old-no-action", 400, "no_action");
    await call("old-both-left", 400, "both_left");
    await call("old-timeout", 400, "timeout");
    await call("old-connected", 400, "female_connected");
    await call("recent-no-action", 10, "no_action");
    await call("month-old-timeout", 40, "timeout");

    await client.query("select public.cleanup_old_interactions()");
    const remaining = async () =>
      (await client.query("select room_id from interaction_schema.interaction_logs where user1_id = $1 order by 1", [male.id])).rows.map(
        (row) => row.room_id,
      );
    expect(await remaining()).toEqual(["month-old-timeout", "old-connected", "recent-no-action"]);

    await client.query("select public.cleanup_old_interactions(30)");
    expect(await remaining()).toEqual(["old-connected", "recent-no-action"]);
  }));

test("update_timestamp sets updated_at on update, on every table that has the trigger", () =>
  withRollback(async (client) => {
    const [male, female] = [await createUser(client, "male"), await createUser(client, "female")];
    const connectionId = await createConnection(client, male, female);
    await client.query(`insert into user_schema.profiles (user_id, display_name) values ($1, 'M')`, [male.id]);
    await createSession(client, male);
    const { rows } = await client.query(
      `insert into communication_schema.chat_rooms (connection_id, room_name) values ($1, 'room') returning id`,
      [connectionId],
    );
    await client.query(`insert into communication_schema.messages (chat_room_id, sender_user_id, content) values ($1, $2, 'hi')`, [
      rows[0].id,
      male.id,
    ]);

    const tables: Array<[string, string]> = [
      ["user_schema.users", "id = $1"],
      ["user_schema.profiles", "user_id = $1"],
      ["user_schema.user_sessions", "user_id = $1"],
      ["interaction_schema.connections", "user1_id = $1 or user2_id = $1"],
      ["communication_schema.chat_rooms", "connection_id in (select id from interaction_schema.connections where user1_id = $1 or user2_id = $1)"],
      ["communication_schema.messages", "sender_user_id = $1"],
    ];
    for (const [table, where] of tables) {
      await client.query(`alter table ${table} disable trigger user`);
      await client.query(`update ${table} set updated_at = '2000-01-01' where ${where}`, [male.id]);
      await client.query(`alter table ${table} enable trigger user`);
      const updated = await client.query(`update ${table} set updated_at = updated_at where ${where} returning updated_at = now() as fresh`, [
        male.id,
      ]);
      expect({ table, fresh: updated.rows.map((row) => row.fresh) }).toEqual({ table, fresh: [true] });
    }
  }));
