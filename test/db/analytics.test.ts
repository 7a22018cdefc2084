/**
 * Analytics: the triggers that write analytics_schema.events (with no user
 * ids), the append-only guard, the daily rollups of refresh_daily_stats, and
 * who may read them (admins only).
 */
import type pg from "pg";
import { actAsSuperuser, actAsToken, expectSqlError, withRollback } from "../support/db.ts";
import { createCall, createConnection, createSession, createUser, type Role, type TestUser } from "../support/factories.ts";

interface LoggedEvent {
  event_type: string;
  properties: Record<string, unknown>;
}

/** The id of the newest event: what a step logs comes after it. */
async function lastEventId(client: pg.ClientBase): Promise<string> {
  return (await client.query("select coalesce(max(id), 0) as id from analytics_schema.events")).rows[0].id;
}

/** The events logged after `since`, oldest first. */
async function eventsSince(client: pg.ClientBase, since: string): Promise<LoggedEvent[]> {
  const { rows } = await client.query("select event_type, properties from analytics_schema.events where id > $1 order by id", [since]);
  return rows;
}

/** A user with a profile of the given intent. */
async function userWithIntent(client: pg.ClientBase, role: Role, intent: string): Promise<TestUser> {
  const user = await createUser(client, role);
  await client.query("insert into user_schema.profiles (user_id, display_name, age, intent) values ($1, $2, 30, $3)", [
    user.id,
    user.username,
    intent,
  ]);
  return user;
}

async function chatRoom(client: pg.ClientBase, connectionId: string): Promise<string> {
  const { rows } = await client.query(
    "insert into communication_schema.chat_rooms (connection_id, room_name) values ($1, encode(gen_random_bytes(16), 'hex')) returning id",
    [connectionId],
  );
  return rows[0].id;
}

describe("each event is logged by its trigger", () => {
  test("registered: a male or female account, not an admin; no properties", () =>
    withRollback(async (client) => {
      const since = await lastEventId(client);
      await createUser(client, "male");
      await createUser(client, "admin");
      await createUser(client, "female");
      expect(await eventsSince(client, since)).toEqual([
        { event_type: "registered", properties: {} },
        { event_type: "registered", properties: {} },
      ]);
    }));

  test("queued: with the user's intent", () =>
    withRollback(async (client) => {
      const bob = await userWithIntent(client, "male", "friends");
      await createSession(client, bob);
      const since = await lastEventId(client);
      await client.query(
        `insert into interaction_schema.queue_entries (user_id, session_id)
         select user_id, id from user_schema.user_sessions where user_id = $1`,
        [bob.id],
      );
      expect(await eventsSince(client, since)).toEqual([{ event_type: "queued", properties: { intent: "friends" } }]);
    }));

  test("matched and call_ended: a voice call, with the female participant's intent, outcome and duration", () =>
    withRollback(async (client) => {
      const [bob, ann] = [await userWithIntent(client, "male", "casual"), await userWithIntent(client, "female", "serious")];
      const since = await lastEventId(client);
      const callId = await createCall(client, bob, ann);
      expect(await eventsSince(client, since)).toEqual([
        { event_type: "matched", properties: { intent: "serious", interaction_type: "voice_call" } },
      ]);

      const ended = await lastEventId(client);
      await client.query("update interaction_schema.interaction_logs set user1_joined_at = now() where id = $1", [callId]); // not an end
      await client.query(
        "update interaction_schema.interaction_logs set ended_at = started_at + interval '95.5 seconds', outcome = 'both_left' where id = $1",
        [callId],
      );
      await client.query("update interaction_schema.interaction_logs set outcome = 'timeout' where id = $1", [callId]); // already ended
      expect(await eventsSince(client, ended)).toEqual([
        {
          event_type: "call_ended",
          properties: { interaction_type: "voice_call", outcome: "both_left", duration_seconds: 95, intent: "serious" },
        },
      ]);
    }));

  test("a video call is not a match, but its end is a call_ended of type video_call", () =>
    withRollback(async (client) => {
      const [bob, ann] = [await userWithIntent(client, "male", "friends"), await userWithIntent(client, "female", "friends")];
      const since = await lastEventId(client);
      const { rows } = await client.query(
        `insert into interaction_schema.interaction_logs (user1_id, user2_id, room_id, interaction_type, started_at)
         values ($1, $2, 'video-room', 'video_call', now() - interval '1 minute') returning id`,
        [bob.id, ann.id],
      );
      await client.query("update interaction_schema.interaction_logs set ended_at = now() where id = $1", [rows[0].id]);
      expect(await eventsSince(client, since)).toEqual([
        {
          event_type: "call_ended",
          properties: { interaction_type: "video_call", outcome: "no_action", duration_seconds: 60, intent: "friends" },
        },
      ]);
    }));

  test("connected: with the intent of the call's female participant", () =>
    withRollback(async (client) => {
      const [bob, ann] = [await userWithIntent(client, "male", "networking"), await userWithIntent(client, "female", "networking")];
      const since = await lastEventId(client);
      await createConnection(client, bob, ann); // an ended call (a matched event), then the connection
      expect(await eventsSince(client, since)).toEqual([
        { event_type: "matched", properties: { intent: "networking", interaction_type: "voice_call" } },
        { event_type: "connected", properties: { intent: "networking" } },
      ]);
    }));

  test("message_sent: with the message type; a system message is not logged", () =>
    withRollback(async (client) => {
      const [bob, ann] = [await createUser(client, "male"), await createUser(client, "female")];
      const roomId = await chatRoom(client, await createConnection(client, bob, ann));
      const since = await lastEventId(client);
      await client.query(
        `insert into communication_schema.messages (chat_room_id, sender_user_id, content, message_type)
         values ($1, $2, 'You are connected. Say hello!', 'system'), ($1, $2, 'Hello', 'text')`,
        [roomId, ann.id],
      );
      expect(await eventsSince(client, since)).toEqual([{ event_type: "message_sent", properties: { message_type: "text" } }]);
    }));

  test("video_approved: when a request becomes approved, once; a rejection is not logged", () =>
    withRollback(async (client) => {
      const [bob, ann] = [await createUser(client, "male"), await createUser(client, "female")];
      const connectionId = await createConnection(client, bob, ann);
      const request = async () =>
        (
          await client.query("insert into interaction_schema.video_requests (connection_id, requester_user_id) values ($1, $2) returning id", [
            connectionId,
            bob.id,
          ])
        ).rows[0].id;
      const respond = (id: string, status: string) =>
        client.query("update interaction_schema.video_requests set status = $2, responded_at = now() where id = $1", [id, status]);

      const since = await lastEventId(client);
      await respond(await request(), "rejected");
      const approved = await request();
      await respond(approved, "approved");
      await respond(approved, "approved"); // already approved
      expect(await eventsSince(client, since)).toEqual([{ event_type: "video_approved", properties: {} }]);
    }));

  test("no event holds a user id", () =>
    withRollback(async (client) => {
      const [bob, ann] = [await userWithIntent(client, "male", "casual"), await userWithIntent(client, "female", "casual")];
      const since = await lastEventId(client);
      const roomId = await chatRoom(client, await createConnection(client, bob, ann));
      await client.query("insert into communication_schema.messages (chat_room_id, sender_user_id, content) values ($1, $2, 'Hi')", [roomId, bob.id]);
      const logged = JSON.stringify(await eventsSince(client, since));
      expect(logged).toContain("message_sent");
      for (const id of [bob.id, ann.id]) expect(logged).not.toContain(id);
    }));
});

describe("the event log is append-only", () => {
  test("an event cannot be updated, deleted or truncated, even by the owner (RAPND)", () =>
    withRollback(async (client) => {
      await client.query("insert into analytics_schema.events (event_type) values ('registered')");
      await client.query("set local role rtc_owner");
      for (const sql of [
        "update analytics_schema.events set properties = '{\"x\": 1}'",
        "delete from analytics_schema.events",
        "truncate analytics_schema.events",
      ]) {
        const error = await expectSqlError(client, sql);
        expect({ sql, code: error.code, message: error.message }).toEqual({
          sql,
          code: "RAPND",
          message: expect.stringMatching(/append-only/),
        });
      }
    }));
});

describe("refresh_daily_stats", () => {
  const DAY = "2001-02-03"; // a fixed past day: the events of other tests are never on it

  async function logAt(client: pg.ClientBase, occurredAt: string, eventType: string, properties: object = {}): Promise<void> {
    await client.query("insert into analytics_schema.events (event_type, occurred_at, properties) values ($1, $2, $3)", [
      eventType,
      occurredAt,
      JSON.stringify(properties),
    ]);
  }

  async function stats(client: pg.ClientBase, day: string) {
    const daily = await client.query(
      "select registrations, matches, calls_ended, connections, median_call_seconds from analytics_schema.daily_stats where day = $1",
      [day],
    );
    const perIntent = await client.query(
      "select intent, matches, connections, connect_rate from analytics_schema.daily_intent_stats where day = $1 order by intent",
      [day],
    );
    return { daily: daily.rows, perIntent: perIntent.rows };
  }

  test("computes the figures of one UTC day from the events, and can run again", () =>
    withRollback(async (client) => {
      await client.query("set local timezone = 'America/New_York'"); // the day is UTC whatever the session's time zone
      const voice = (seconds: number) => ({ interaction_type: "voice_call", outcome: "no_action", duration_seconds: seconds, intent: "friends" });
      await logAt(client, `${DAY} 00:00:00+00`, "registered");
      await logAt(client, `${DAY} 12:00:00+00`, "registered");
      await logAt(client, `${DAY} 23:59:59.999+00`, "registered");
      await logAt(client, `${DAY} 01:00:00+00`, "queued", { intent: "friends" });
      for (const intent of ["friends", "friends", "friends", "serious"]) {
        await logAt(client, `${DAY} 10:00:00+00`, "matched", { intent, interaction_type: "voice_call" });
      }
      for (const seconds of [10, 20, 40, 100]) await logAt(client, `${DAY} 11:00:00+00`, "call_ended", voice(seconds));
      await logAt(client, `${DAY} 11:00:00+00`, "call_ended", { ...voice(1000), interaction_type: "video_call" });
      await logAt(client, `${DAY} 12:00:00+00`, "connected", { intent: "friends" });
      await logAt(client, `${DAY} 12:00:00+00`, "connected", { intent: "casual" }); // matched the day before
      await logAt(client, `${DAY} 13:00:00+00`, "message_sent", { message_type: "text" });
      await logAt(client, `${DAY} 13:00:00+00`, "video_approved");
      // The days around it are not counted.
      for (const at of ["2001-02-02 23:59:59.999+00", "2001-02-04 00:00:00+00"]) {
        await logAt(client, at, "registered");
        await logAt(client, at, "matched", { intent: "networking", interaction_type: "voice_call" });
        await logAt(client, at, "connected", { intent: "friends" });
        await logAt(client, at, "call_ended", voice(5));
      }
      // Stale rows of an earlier refresh are replaced.
      await client.query("insert into analytics_schema.daily_stats (day, registrations, matches, calls_ended, connections) values ($1, 9, 9, 9, 9)", [DAY]);
      await client.query("insert into analytics_schema.daily_intent_stats (day, intent, matches, connections) values ($1, 'networking', 9, 9)", [DAY]);

      const expected = {
        daily: [{ registrations: 3, matches: 4, calls_ended: 4, connections: 2, median_call_seconds: "30" }],
        perIntent: [
          { intent: "casual", matches: 0, connections: 1, connect_rate: null },
          { intent: "friends", matches: 3, connections: 1, connect_rate: "0.3333" },
          { intent: "serious", matches: 1, connections: 0, connect_rate: "0.0000" },
        ],
      };
      await client.query("select app_private.refresh_daily_stats($1::date)", [DAY]);
      expect(await stats(client, DAY)).toEqual(expected);
      await client.query("select app_private.refresh_daily_stats($1::date)", [DAY]);
      expect(await stats(client, DAY)).toEqual(expected);
    }));

  test("a day without events gets a row of zeros and no median", () =>
    withRollback(async (client) => {
      await client.query("select app_private.refresh_daily_stats('1999-12-31')");
      expect(await stats(client, "1999-12-31")).toEqual({
        daily: [{ registrations: 0, matches: 0, calls_ended: 0, connections: 0, median_call_seconds: null }],
        perIntent: [],
      });
    }));

  test("today (UTC) counts what the triggers log now", () =>
    withRollback(async (client) => {
      const today = (await client.query("select (now() at time zone 'UTC')::date::text as day")).rows[0].day;
      const refresh = async () => {
        await client.query("select app_private.refresh_daily_stats(current_date)"); // the session's date: runs whatever it is
        await client.query("select app_private.refresh_daily_stats($1::date)", [today]);
        return (await stats(client, today)).daily[0];
      };
      const before = await refresh();
      const [bob, ann] = [await userWithIntent(client, "male", "serious"), await userWithIntent(client, "female", "serious")];
      await createConnection(client, bob, ann);
      const after = await refresh();
      expect({
        registrations: after.registrations - before.registrations,
        matches: after.matches - before.matches,
        connections: after.connections - before.connections,
      }).toEqual({ registrations: 2, matches: 1, connections: 1 });
    }));
});

describe("who reads the analytics", () => {
  const TABLES = ["analytics_schema.events", "analytics_schema.daily_stats", "analytics_schema.daily_intent_stats"];

  test("a user and a visitor read none of it (42501)", () =>
    withRollback(async (client) => {
      const bob = await createUser(client, "male");
      for (const token of [await createSession(client, bob), null]) {
        await actAsToken(client, token);
        for (const name of TABLES) {
          const error = await expectSqlError(client, `select * from ${name}`);
          expect({ name, token: token && "user", code: error.code }).toEqual({ name, token: token && "user", code: "42501" });
        }
        await actAsSuperuser(client);
      }
    }));

  test("an admin reads every table, writes none, and calls neither function", () =>
    withRollback(async (client) => {
      const admin = await createUser(client, "admin");
      const token = await createSession(client, admin);
      await client.query("insert into analytics_schema.events (event_type, properties) values ('queued', '{\"intent\": \"casual\"}')");
      await client.query("select app_private.refresh_daily_stats('2001-02-03')");
      const newest = await lastEventId(client);

      await actAsToken(client, token);
      const events = await client.query("select event_type, properties from analytics_schema.events where id = $1", [newest]);
      expect(events.rows).toEqual([{ event_type: "queued", properties: { intent: "casual" } }]);
      expect((await client.query("select day::text from analytics_schema.daily_stats where day = '2001-02-03'")).rows).toEqual([
        { day: "2001-02-03" },
      ]);
      await client.query("select * from analytics_schema.daily_intent_stats");
      for (const sql of [
        "insert into analytics_schema.events (event_type) values ('registered')",
        "update analytics_schema.daily_stats set matches = 0",
        "delete from analytics_schema.daily_intent_stats",
        "select app_private.log_event('registered', '{}')",
        "select app_private.refresh_daily_stats(current_date)",
      ]) {
        const error = await expectSqlError(client, sql);
        expect({ sql, code: error.code }).toEqual({ sql, code: "42501" });
      }
    }));
});
