/**
 * The queue, the match write and the call lifecycle in SQL, called as the
 * role a client really has (a bearer token), or as the worker (the owner).
 */
import type pg from "pg";
import { withRollback } from "../support/db.ts";
import { createCall, createConnection, createSession } from "../support/factories.ts";
import { createPlayer, errorAs, rowAs, type Player } from "../support/players.ts";

const player = createPlayer;

async function queue(client: pg.ClientBase, ...players: Player[]): Promise<void> {
  for (const p of players) await rowAs(client, p, "select * from interaction_schema.enter_queue()");
}

async function match(client: pg.ClientBase, male: Player, female: Player): Promise<string | null> {
  return (await client.query("select app_private.create_match($1, $2) as id", [male.id, female.id])).rows[0].id;
}

async function statuses(client: pg.ClientBase, ...players: Player[]): Promise<string[]> {
  const { rows } = await client.query("select user_id, status from user_schema.user_sessions where user_id = any($1)", [players.map((p) => p.id)]);
  return players.map((p) => rows.find((row) => row.user_id === p.id)?.status);
}

describe("entering the queue", () => {
  test("puts the device in queuing, once; leaving puts it back online", () =>
    withRollback(async (client) => {
      const bob = await player(client, "male");
      await queue(client, bob);
      await queue(client, bob); // the same device again changes nothing
      expect(await statuses(client, bob)).toEqual(["queuing"]);
      expect((await rowAs<{ left: boolean }>(client, bob, "select interaction_schema.leave_queue() as left")).left).toBe(true);
      expect(await statuses(client, bob)).toEqual(["online"]);
      expect((await rowAs<{ left: boolean }>(client, bob, "select interaction_schema.leave_queue() as left")).left).toBe(false);
    }));

  test("refuses an admin, a user in a call, an offline device, a missing age, and a second device", () =>
    withRollback(async (client) => {
      const admin = await player(client, "admin");
      expect((await errorAs(client, admin, "select interaction_schema.enter_queue()")).code).toBe("42501"); // not granted to admins

      const [bob, ann] = [await player(client, "male"), await player(client, "female")];
      await createCall(client, bob, ann);
      expect((await errorAs(client, bob, "select interaction_schema.enter_queue()")).code).toBe("RINCL");

      const carl = await player(client, "male");
      await client.query("update user_schema.user_sessions set status = 'offline' where user_id = $1", [carl.id]);
      expect((await errorAs(client, carl, "select interaction_schema.enter_queue()")).code).toBe("ROFFL");

      const dave = await player(client, "male", { age: null });
      expect((await errorAs(client, dave, "select interaction_schema.enter_queue()")).code).toBe("RPROF");

      const eve = await player(client, "female");
      await queue(client, eve);
      const otherDevice = { ...eve, token: await createSession(client, eve) };
      expect((await errorAs(client, otherDevice, "select interaction_schema.enter_queue()")).code).toBe("RQUED");
    }));

  test("schedules one matchmaker run for a burst of joins", () =>
    withRollback(async (client) => {
      const before = (await client.query("select count(*)::int as n from graphile_worker._private_jobs where key = 'match_queue'")).rows[0].n;
      await queue(client, await player(client, "male"), await player(client, "female"), await player(client, "male"));
      const after = (await client.query("select count(*)::int as n from graphile_worker._private_jobs where key = 'match_queue'")).rows[0].n;
      expect(after).toBe(Math.max(before, 1));
    }));
});

describe("writing a match (app_private.create_match)", () => {
  test("creates the call, dequeues both, puts both devices in-call", () =>
    withRollback(async (client) => {
      const [bob, ann] = [await player(client, "male"), await player(client, "female")];
      await queue(client, bob, ann);
      const callId = await match(client, bob, ann);
      const { rows } = await client.query("select user1_id, user2_id, female_user_id, interaction_type, length(room_id) as room_length from interaction_schema.interaction_logs where id = $1", [callId]);
      expect(rows[0]).toEqual({ user1_id: bob.id, user2_id: ann.id, female_user_id: ann.id, interaction_type: "voice_call", room_length: 64 });
      expect((await client.query("select count(*)::int as n from interaction_schema.queue_entries where user_id in ($1, $2)", [bob.id, ann.id])).rows[0].n).toBe(0);
      expect(await statuses(client, bob, ann)).toEqual(["in-call", "in-call"]);
    }));

  test("skips a pair when either user is no longer queued", () =>
    withRollback(async (client) => {
      const [bob, ann, carl] = [await player(client, "male"), await player(client, "female"), await player(client, "male")];
      await queue(client, bob, ann, carl);
      expect(await match(client, bob, ann)).not.toBeNull();
      expect(await match(client, carl, ann)).toBeNull();
      expect(await statuses(client, carl)).toEqual(["queuing"]);
    }));

  test.each([
    ["different intents", { intent: "serious" }, {}],
    ["her age outside his range", {}, { preferences: { age_min: 35 } }],
    ["his age outside her range", { preferences: { age_max: 25 } }, {}],
    ["same country required and not met", { preferences: { same_country_only: true }, country: "France" }, { country: "Spain" }],
  ])("refuses %s", (_label, herProfile, hisProfile) =>
    withRollback(async (client) => {
      const ann = await player(client, "female", herProfile);
      const bob = await player(client, "male", hisProfile);
      await queue(client, bob, ann);
      expect(await match(client, bob, ann)).toBeNull();
    }));

  test("refuses blocked, connected and recently matched pairs, and two males", () =>
    withRollback(async (client) => {
      const [bob, ann] = [await player(client, "male"), await player(client, "female")];
      await client.query("insert into interaction_schema.blocks values ($1, $2)", [ann.id, bob.id]);
      await queue(client, bob, ann);
      expect(await match(client, bob, ann)).toBeNull();

      const [carl, dora] = [await player(client, "male"), await player(client, "female")];
      await createConnection(client, carl, dora);
      await client.query("update interaction_schema.interaction_logs set started_at = now() - interval '3 days', ended_at = now() - interval '3 days' where user1_id = $1", [carl.id]);
      await queue(client, carl, dora);
      expect(await match(client, carl, dora)).toBeNull();

      const [ed, fay] = [await player(client, "male"), await player(client, "female")];
      await createCall(client, ed, fay, "ended");
      await queue(client, ed, fay);
      expect(await match(client, ed, fay)).toBeNull();
      await client.query("update interaction_schema.interaction_logs set started_at = now() - interval '25 hours', ended_at = now() - interval '25 hours' where user1_id = $1", [ed.id]);
      expect(await match(client, ed, fay)).not.toBeNull();

      const gus = await player(client, "male");
      await queue(client, gus, carl);
      expect(await match(client, gus, carl)).toBeNull();
    }));
});

describe("a call", () => {
  async function liveCall(client: pg.ClientBase) {
    const [bob, ann] = [await player(client, "male"), await player(client, "female")];
    await queue(client, bob, ann);
    const callId = (await match(client, bob, ann))!;
    return { bob, ann, callId };
  }

  test("relays signals between its participants only, up to 64 KB, and a hangup ends it", () =>
    withRollback(async (client) => {
      const { bob, ann, callId } = await liveCall(client);
      const stranger = await player(client, "female");
      const send = "select * from interaction_schema.send_call_signal($1, $2, $3)";
      const offer = await rowAs<{ id: string; sender_user_id: string }>(client, bob, send, [callId, "offer", { sdp: "x".repeat(60_000) }]);
      expect(offer.sender_user_id).toBe(bob.id);
      expect((await errorAs(client, stranger, send, [callId, "ice", {}])).code).toBe("RNOTP");
      expect((await errorAs(client, ann, send, [callId, "answer", { sdp: "x".repeat(70_000) }])).constraint).toBe("call_signals_payload_at_most_64_kb");
      expect((await errorAs(client, ann, send, [callId, "bogus", {}])).code).toBe("22P02"); // not a call_signal_kind

      // A live event carries a signal as the API serves it: the bigint id as text, times with six-digit microseconds.
      const carried = await rowAs<{ signal: Record<string, unknown> }>(client, ann,
        "select app_private.live_call_signal(s) as signal from interaction_schema.call_signals s where s.id = $1", [offer.id]);
      expect(carried.signal).toMatchObject({ id: String(offer.id), kind: "offer", sender_user_id: bob.id, interaction_id: callId });
      expect(carried.signal.created_at).toMatch(/\.\d{6}[+-]\d\d:\d\d$/);

      const seen = async (who: Player) => (await rowAs<{ n: number }>(client, who, "select count(*)::int as n from interaction_schema.call_signals where interaction_id = $1", [callId])).n;
      expect([await seen(bob), await seen(ann), await seen(stranger)]).toEqual([1, 1, 0]);

      await rowAs(client, ann, send, [callId, "hangup", {}]);
      expect(await statuses(client, bob, ann)).toEqual(["online", "online"]);
      expect(await seen(bob)).toBe(0); // signals (network addresses) go with the call
      expect((await errorAs(client, bob, send, [callId, "ice", {}])).code).toBe("RENDD");
    }));

  test("either participant ends it for both; the database sets ended_at and the duration", () =>
    withRollback(async (client) => {
      const { bob, ann, callId } = await liveCall(client);
      await client.query("update interaction_schema.interaction_logs set started_at = now() - interval '61 seconds' where id = $1", [callId]);
      const ended = await rowAs<{ duration_seconds: number; outcome: string }>(client, ann, "select * from interaction_schema.end_call($1)", [callId]);
      expect(ended).toMatchObject({ duration_seconds: 61, outcome: "no_action" });
      expect(await statuses(client, bob, ann)).toEqual(["online", "online"]);
      expect((await errorAs(client, bob, "select interaction_schema.end_call($1)", [callId])).code).toBe("RENDD");
    }));

  test("both passing gives both_left", () =>
    withRollback(async (client) => {
      const { bob, ann, callId } = await liveCall(client);
      expect((await rowAs<{ outcome: string }>(client, bob, "select * from interaction_schema.skip_call($1)", [callId])).outcome).toBe("no_action");
      expect((await rowAs<{ outcome: string }>(client, ann, "select * from interaction_schema.skip_call($1)", [callId])).outcome).toBe("both_left");
    }));

  test("the worker ends calls not joined by both in 30 s, or live for 30 minutes (timeout)", () =>
    withRollback(async (client) => {
      const first = await liveCall(client);
      await rowAs(client, first.bob, "select interaction_schema.join_call($1)", [first.callId]);
      const second = await liveCall(client);
      await rowAs(client, second.bob, "select interaction_schema.join_call($1)", [second.callId]);
      await rowAs(client, second.ann, "select interaction_schema.join_call($1)", [second.callId]);
      await client.query("update interaction_schema.interaction_logs set started_at = now() - interval '31 seconds' where id in ($1, $2)", [first.callId, second.callId]);
      expect((await client.query("select app_private.expire_overdue_calls() as n")).rows[0].n).toBe(1);
      const outcome = async (id: string) => (await client.query("select outcome, ended_at is not null as ended from interaction_schema.interaction_logs where id = $1", [id])).rows[0];
      expect(await outcome(first.callId)).toEqual({ outcome: "timeout", ended: true });
      expect(await outcome(second.callId)).toEqual({ outcome: "no_action", ended: false });

      await client.query("update interaction_schema.interaction_logs set started_at = now() - interval '31 minutes' where id = $1", [second.callId]);
      expect((await client.query("select app_private.expire_overdue_calls() as n")).rows[0].n).toBe(1);
      expect(await outcome(second.callId)).toEqual({ outcome: "timeout", ended: true });
    }));

  test("only the female connects, during the call or within 10 minutes after it", () =>
    withRollback(async (client) => {
      const { bob, ann, callId } = await liveCall(client);
      const connect = "select * from interaction_schema.connect($1)";
      expect((await errorAs(client, bob, connect, [callId])).code).toBe("RFONL");

      await rowAs(client, bob, "select interaction_schema.end_call($1)", [callId]);
      await client.query("update interaction_schema.interaction_logs set started_at = now() - interval '12 minutes', ended_at = now() - interval '11 minutes' where id = $1", [callId]);
      expect((await errorAs(client, ann, connect, [callId])).code).toBe("RWIND");

      await client.query("update interaction_schema.interaction_logs set ended_at = now() - interval '9 minutes' where id = $1", [callId]);
      const connection = await rowAs<{ id: string; connection_type: string; female_user_id: string }>(client, ann, connect, [callId]);
      expect(connection).toMatchObject({ connection_type: "chat_only", female_user_id: ann.id });
      const room = await client.query(
        `select r.is_active, m.message_type, m.content from communication_schema.chat_rooms r
           join communication_schema.messages m on m.chat_room_id = r.id where r.connection_id = $1`,
        [connection.id],
      );
      expect(room.rows).toEqual([{ is_active: true, message_type: "system", content: "You are connected. Say hello!" }]);
      expect((await client.query("select outcome from interaction_schema.interaction_logs where id = $1", [callId])).rows[0].outcome).toBe("female_connected");
      expect((await errorAs(client, ann, connect, [callId])).code).toBe("RCONX");
    }));

  test("a stale device goes offline, leaves the queue, and its call ends (timeout)", () =>
    withRollback(async (client) => {
      const { bob, ann, callId } = await liveCall(client);
      const carl = await player(client, "male");
      await queue(client, carl);
      await client.query("update user_schema.user_sessions set last_seen_at = now() - interval '91 seconds' where user_id in ($1, $2)", [bob.id, carl.id]);
      expect((await client.query("select app_private.sweep_stale_sessions() as n")).rows[0].n).toBe(2);
      expect(await statuses(client, bob, ann, carl)).toEqual(["offline", "online", "offline"]);
      expect((await client.query("select outcome from interaction_schema.interaction_logs where id = $1", [callId])).rows[0].outcome).toBe("timeout");
      expect((await client.query("select count(*)::int as n from interaction_schema.queue_entries where user_id = $1", [carl.id])).rows[0].n).toBe(0);
      expect(await rowAs(client, bob, "select user_schema.heartbeat() as status")).toEqual({ status: "online" });
    }));

  test("the partner's profile and presence are visible while matched", () =>
    withRollback(async (client) => {
      const { bob, ann, callId } = await liveCall(client);
      const seen = await rowAs<{ display_name: string; presence: string; makes_offer: boolean }>(
        client,
        bob,
        `select (interaction_schema.interaction_logs_partner_profile(l)).display_name,
                user_schema.public_profiles_presence(interaction_schema.interaction_logs_partner_profile(l)) as presence,
                interaction_schema.interaction_logs_makes_offer(l) as makes_offer
           from interaction_schema.interaction_logs l where l.id = $1`,
        [callId],
      );
      expect(seen).toEqual({ display_name: ann.username, presence: "in-call", makes_offer: true });
    }));
});

describe("a ban", () => {
  test("takes the user out of the queue and ends their live call (timeout)", () =>
    withRollback(async (client) => {
      const [bob, ann, carl] = [await player(client, "male"), await player(client, "female"), await player(client, "male")];
      await queue(client, bob, ann, carl);
      const callId = await match(client, bob, ann);
      await client.query("update user_schema.users set is_active = false where id in ($1, $2)", [bob.id, carl.id]);
      expect((await client.query("select outcome, ended_at is not null as ended from interaction_schema.interaction_logs where id = $1", [callId])).rows[0]).toEqual({ outcome: "timeout", ended: true });
      expect((await client.query("select count(*)::int as n from interaction_schema.queue_entries where user_id = $1", [carl.id])).rows[0].n).toBe(0);
      expect(await statuses(client, ann)).toEqual(["online"]);
    }));
});

describe("blocking", () => {
  test("ends the connection and its chat, and is visible to the blocker only", () =>
    withRollback(async (client) => {
      const [bob, ann] = [await player(client, "male"), await player(client, "female")];
      const connectionId = await createConnection(client, bob, ann);
      await client.query("insert into communication_schema.chat_rooms (connection_id, room_name) values ($1, 'r')", [connectionId]);
      await rowAs(client, ann, "select interaction_schema.block_user($1)", [bob.id]);
      await rowAs(client, ann, "select interaction_schema.block_user($1)", [bob.id]); // twice is fine
      const state = await client.query(
        "select c.is_active as connection, r.is_active as room from interaction_schema.connections c join communication_schema.chat_rooms r on r.connection_id = c.id where c.id = $1",
        [connectionId],
      );
      expect(state.rows[0]).toEqual({ connection: false, room: false });
      expect(await rowAs(client, ann, "select count(*)::int as n from interaction_schema.blocks")).toEqual({ n: 1 });
      expect(await rowAs(client, bob, "select count(*)::int as n from interaction_schema.blocks")).toEqual({ n: 0 });
      expect((await errorAs(client, ann, "select interaction_schema.block_user($1)", [ann.id])).code).toBe("RSELF");
    }));

  test("ends a live call, and neither sees the other's profile any more, decision window or not", () =>
    withRollback(async (client) => {
      const [bob, ann] = [await player(client, "male"), await player(client, "female")];
      await queue(client, bob, ann);
      const callId = await match(client, bob, ann);
      expect(await rowAs(client, bob, "select count(*)::int as n from user_schema.public_profiles where user_id = $1", [ann.id])).toEqual({ n: 1 });
      await rowAs(client, bob, "select interaction_schema.block_user($1)", [ann.id]);
      expect((await client.query("select ended_at is not null as ended from interaction_schema.interaction_logs where id = $1", [callId])).rows[0].ended).toBe(true);
      expect(await rowAs(client, bob, "select count(*)::int as n from user_schema.public_profiles where user_id = $1", [ann.id])).toEqual({ n: 0 });
      expect(await rowAs(client, ann, "select count(*)::int as n from user_schema.public_profiles where user_id = $1", [bob.id])).toEqual({ n: 0 });
    }));
});
