/**
 * Chat, receipts, unmatch, video requests and reports in SQL, called as the
 * role a client really has (a bearer token).
 */
import type pg from "pg";
import { actAsToken, withRollback } from "../support/db.ts";
import { createConnection } from "../support/factories.ts";
import { createPlayer, errorAs, rowsAs, type Player } from "../support/players.ts";

const player = createPlayer;

/** Bob and Ann, connected, with their room. */
async function connectedPair(client: pg.ClientBase) {
  const [bob, ann] = [await player(client, "male"), await player(client, "female")];
  const connectionId = await createConnection(client, bob, ann);
  const { rows } = await client.query("insert into communication_schema.chat_rooms (connection_id, room_name) values ($1, 'room') returning id", [connectionId]);
  return { bob, ann, connectionId, roomId: rows[0].id as string };
}

const SEND = "select * from communication_schema.send_message($1, $2, $3, $4)";

async function send(client: pg.ClientBase, who: Player, roomId: string, content: string, type = "text", metadata: object = {}) {
  return (await rowsAs<{ id: string; created_at: Date }>(client, who, SEND, [roomId, content, type, metadata]))[0]!;
}

describe("messages", () => {
  test("participants send text and media; the rules refuse the rest", () =>
    withRollback(async (client) => {
      const { bob, ann, roomId } = await connectedPair(client);
      await send(client, bob, roomId, "hi");
      await send(client, ann, roomId, "look", "image", { url: "https://cdn.example.com/a.jpg" });
      expect((await errorAs(client, ann, SEND, [roomId, "x", "image", { url: "http://insecure.example.com/a.jpg" }])).constraint).toBe("messages_media_has_https_url");
      expect((await errorAs(client, ann, SEND, [roomId, "", "text", {}])).constraint).toBe("messages_content_1_to_4000_characters");
      expect((await errorAs(client, ann, SEND, [roomId, "x".repeat(4001), "text", {}])).constraint).toBe("messages_content_1_to_4000_characters");
      expect((await errorAs(client, ann, SEND, [roomId, "fake", "system", {}])).code).toBe("RSYST");

      const stranger = await player(client, "female");
      expect((await errorAs(client, stranger, SEND, [roomId, "hello?", "text", {}])).code).toBe("RROOM");
      expect(await rowsAs(client, stranger, "select count(*)::int as n from communication_schema.messages where chat_room_id = $1", [roomId])).toEqual([{ n: 0 }]);
      expect(await rowsAs(client, bob, "select count(*)::int as n from communication_schema.messages where chat_room_id = $1", [roomId])).toEqual([{ n: 2 }]);
    }));

  test("a send retried with the same client message id stores one message and returns it", () =>
    withRollback(async (client) => {
      const { bob, ann, roomId } = await connectedPair(client);
      const key = "7d1c4a53-2b5e-4f0a-9c3e-0d7b9a1e6f42";
      const retried = "select * from communication_schema.send_message($1, $2, 'text', '{}', $3)";
      const [first] = await rowsAs<{ id: string }>(client, bob, retried, [roomId, "once", key]);
      const [again] = await rowsAs<{ id: string }>(client, bob, retried, [roomId, "once", key]);
      expect(again!.id).toBe(first!.id);
      // The key is the sender's own: the partner's same key is another message.
      const [hers] = await rowsAs<{ id: string }>(client, ann, retried, [roomId, "mine", key]);
      expect(hers!.id).not.toBe(first!.id);
      // Without a key every send is a message.
      await send(client, bob, roomId, "once");
      expect(await rowsAs(client, bob, "select content, count(*)::int as n from communication_schema.messages where chat_room_id = $1 group by content order by content", [roomId]))
        .toEqual([{ content: "mine", n: 1 }, { content: "once", n: 2 }]);
    }));

  test("a live event carries its rows when NOTIFY's 8000 bytes hold them, and only their ids otherwise", () =>
    withRollback(async (client) => {
      const { bob, roomId } = await connectedPair(client);
      const payloadOf = async (id: string) =>
        JSON.parse(
          (
            await client.query(
              `select app_private.live_event_payload('message_created', jsonb_build_object('message_id', m.id), jsonb_build_object('message', app_private.live_message(m))) as payload
                 from communication_schema.messages m where m.id = $1`,
              [id],
            )
          ).rows[0].payload,
        );
      const short = await send(client, bob, roomId, "hi");
      const carried = await payloadOf(short.id);
      expect(carried).toMatchObject({ event: "message_created", message_id: short.id, message: { id: short.id, content: "hi", chat_room_id: roomId } });
      // Times as the API prints them: microseconds always in six digits.
      expect(carried.message.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}[+-]\d\d:\d\d$/);
      // 4,000 characters of three bytes each do not fit: the API reads the row itself.
      const long = await send(client, bob, roomId, "€".repeat(4000));
      expect(await payloadOf(long.id)).toEqual({ event: "message_created", message_id: long.id });
    }));

  test("the sender edits within 15 minutes and deletes; the partner cannot", () =>
    withRollback(async (client) => {
      const { bob, ann, roomId } = await connectedPair(client);
      const message = await send(client, bob, roomId, "helo");
      const edited = await rowsAs(client, bob, "select * from communication_schema.edit_message($1, 'hello')", [message.id]);
      expect(edited[0]).toMatchObject({ content: "hello", is_edited: true });
      expect((await errorAs(client, ann, "select communication_schema.edit_message($1, 'hacked')", [message.id])).code).toBe("RNOTM");
      expect((await errorAs(client, ann, "select communication_schema.delete_message($1)", [message.id])).code).toBe("RNOTM");

      await client.query("update communication_schema.messages set created_at = now() - interval '16 minutes' where id = $1", [message.id]);
      expect((await errorAs(client, bob, "select communication_schema.edit_message($1, 'late')", [message.id])).code).toBe("REDIT");

      await rowsAs(client, bob, "select communication_schema.delete_message($1)", [message.id]);
      const seen = await rowsAs(client, ann, "select content, is_deleted, metadata from communication_schema.messages where id = $1", [message.id]);
      expect(seen).toEqual([{ content: "", is_deleted: true, metadata: {} }]);
      expect((await errorAs(client, bob, "select communication_schema.edit_message($1, 'back')", [message.id])).code).toBe("RDELD");
    }));

  test("marking read up to a message covers every earlier unread one, once; unread counts follow", () =>
    withRollback(async (client) => {
      const { bob, ann, roomId } = await connectedPair(client);
      // One transaction has one now(): give the messages the order they were sent in.
      const inOrder = async (who: Player, text: string, second: number) => {
        const message = await send(client, who, roomId, text);
        await client.query("update communication_schema.messages set created_at = now() - make_interval(secs => 10 - $2) where id = $1", [message.id, second]);
        return message;
      };
      const sent = [await inOrder(bob, "one", 1), await inOrder(bob, "two", 2), await inOrder(bob, "three", 3)];
      await inOrder(ann, "mine", 4);
      const unread = async (who: Player) =>
        (await rowsAs<{ n: number }>(client, who, "select communication_schema.chat_rooms_unread_count(r) as n from communication_schema.chat_rooms r where r.id = $1", [roomId]))[0]!.n;
      expect([await unread(ann), await unread(bob)]).toEqual([3, 1]);

      const markRead = "select communication_schema.mark_room_read($1, $2) as n";
      expect(await rowsAs(client, ann, markRead, [roomId, sent[1]!.id])).toEqual([{ n: 2 }]);
      expect(await unread(ann)).toBe(1);
      expect(await rowsAs(client, ann, markRead, [roomId, sent[1]!.id])).toEqual([{ n: 0 }]); // idempotent
      expect(await rowsAs(client, ann, markRead, [roomId, sent[2]!.id])).toEqual([{ n: 1 }]);
      expect(await unread(ann)).toBe(0);

      const stranger = await player(client, "male");
      expect((await errorAs(client, stranger, markRead, [roomId, sent[2]!.id])).code).toBe("RROOM");
    }));

  test("after an unmatch nobody reads or writes the room, and typing is refused too", () =>
    withRollback(async (client) => {
      const { bob, ann, roomId, connectionId } = await connectedPair(client);
      await send(client, bob, roomId, "bye?");
      const [request] = await rowsAs(client, bob, "select * from interaction_schema.request_video($1)", [connectionId]);
      await rowsAs(client, ann, "select interaction_schema.unmatch($1)", [connectionId]);
      expect((await client.query("select status from interaction_schema.video_requests where id = $1", [request!.id])).rows[0].status).toBe("expired");
      expect((await errorAs(client, bob, SEND, [roomId, "wait", "text", {}])).code).toBe("RROOM");
      expect((await errorAs(client, bob, "select communication_schema.send_typing($1)", [roomId])).code).toBe("RROOM");
      expect(await rowsAs(client, bob, "select count(*)::int as n from communication_schema.messages where chat_room_id = $1", [roomId])).toEqual([{ n: 0 }]);
      expect((await errorAs(client, bob, "select interaction_schema.unmatch($1)", [connectionId])).code).toBe("RNOCN");
    }));

  test("a 100,000-message room pages newest first in constant work, by index", () =>
    withRollback(async (client) => {
      const { bob, ann, roomId } = await connectedPair(client);
      // A realistic spread: this room's 100,000 messages among 100 other rooms' 100,000.
      await client.query(
        `with males as (
           insert into user_schema.users (username, email, password_hash, role)
           select 'histm' || n, 'histm' || n || '@example.com', 'x', 'male' from generate_series(1, 100) as n returning id, username
         ), females as (
           insert into user_schema.users (username, email, password_hash, role)
           select 'histf' || n, 'histf' || n || '@example.com', 'x', 'female' from generate_series(1, 100) as n returning id, username
         ), calls as (
           insert into interaction_schema.interaction_logs (user1_id, user2_id, room_id, started_at, ended_at)
           select m.id, f.id, 'r', now() - interval '1 hour', now() - interval '50 minutes'
             from males m join females f on substr(f.username, 6) = substr(m.username, 6)
           returning id, user1_id, user2_id
         ), connections as (
           insert into interaction_schema.connections (user1_id, user2_id, interaction_log_id, female_user_id)
           select user1_id, user2_id, id, user2_id from calls returning id
         ), rooms as (
           insert into communication_schema.chat_rooms (connection_id, room_name) select id, 'other' from connections returning id
         )
         insert into communication_schema.messages (chat_room_id, sender_user_id, content, created_at)
         select rooms.id, $1, 'other ' || n, now() - make_interval(secs => n) from rooms, generate_series(1, 1000) as n`,
        [bob.id],
      );
      await client.query(
        `insert into communication_schema.messages (chat_room_id, sender_user_id, content, created_at)
         select $1, case when n % 2 = 0 then $2::uuid else $3::uuid end, 'message ' || n, now() - make_interval(secs => n)
           from generate_series(1, 100000) as n`,
        [roomId, bob.id, ann.id],
      );
      await client.query("analyze communication_schema.messages");
      await actAsToken(client, bob.token);
      const page = `select id, created_at from communication_schema.messages
                     where chat_room_id = $1 and (created_at, id) < ($2::timestamptz, $3::uuid)
                     order by created_at desc, id desc limit 50`;
      // The first page, and one 27 hours deep into the history.
      for (const cursorAgo of [1_000, 99_000_000]) {
        const cursor = [roomId, new Date(Date.now() - cursorAgo), "ffffffff-ffff-ffff-ffff-ffffffffffff"];
        const [{ Plan: plan }] = (await client.query(`explain (analyze, buffers, format json) ${page}`, cursor)).rows[0]["QUERY PLAN"];
        const text = JSON.stringify(plan);
        expect(plan["Node Type"]).toBe("Limit");
        expect(plan["Actual Rows"]).toBe(50);
        expect(text).not.toContain("Seq Scan");
        expect(text).not.toContain('"Node Type":"Sort"'); // at most an incremental sort over the index order
        // Constant work: the index scan reads the page's rows, not the room's 100,000.
        const scan = findNode(plan, (node) => /Index (Only )?Scan/.test(node["Node Type"]))!;
        expect(scan["Actual Rows"] + (scan["Rows Removed by Filter"] ?? 0)).toBeLessThan(200);
      }

    }), 120_000); // writing 200,000 rows takes 10-40 s on the shared 2-core box
});

interface PlanNode {
  "Node Type": string;
  "Actual Rows": number;
  "Rows Removed by Filter"?: number;
  Plans?: PlanNode[];
}

function findNode(node: PlanNode, matches: (node: PlanNode) => boolean): PlanNode | undefined {
  if (matches(node)) return node;
  for (const child of node.Plans ?? []) {
    const found = findNode(child, matches);
    if (found) return found;
  }
  return undefined;
}

describe("video requests", () => {
  test("the male asks, the female approves, and a video call can start", () =>
    withRollback(async (client) => {
      const { bob, ann, connectionId } = await connectedPair(client);
      expect((await errorAs(client, ann, "select interaction_schema.request_video($1)", [connectionId])).code).toBe("RVREQ");
      const [request] = await rowsAs(client, bob, "select * from interaction_schema.request_video($1)", [connectionId]);
      expect(request).toMatchObject({ status: "pending", approver_user_id: ann.id });
      expect((await errorAs(client, bob, "select interaction_schema.request_video($1)", [connectionId])).code).toBe("RVPND");
      expect((await errorAs(client, bob, "select interaction_schema.answer_video_request($1, true)", [request!.id])).code).toBe("RVAPR");
      expect((await errorAs(client, bob, "select interaction_schema.start_video_call($1)", [connectionId])).code).toBe("RVOFF");

      const [approved] = await rowsAs(client, ann, "select * from interaction_schema.answer_video_request($1, true)", [request!.id]);
      expect(approved).toMatchObject({ status: "approved" });
      expect((await client.query("select connection_type from interaction_schema.connections where id = $1", [connectionId])).rows[0].connection_type).toBe("video_enabled");
      expect((await errorAs(client, ann, "select interaction_schema.answer_video_request($1, false)", [request!.id])).code).toBe("RVDON");

      await rowsAs(client, bob, "select interaction_schema.enter_queue()"); // a video call takes him out of the queue
      const [call] = await rowsAs(client, ann, "select * from interaction_schema.start_video_call($1)", [connectionId]);
      expect((await client.query("select count(*)::int as n from interaction_schema.queue_entries where user_id = $1", [bob.id])).rows[0].n).toBe(0);
      expect(call).toMatchObject({ interaction_type: "video_call", user1_id: ann.id, user2_id: bob.id, female_user_id: ann.id });
      const [signal] = await rowsAs(client, bob, "select * from interaction_schema.send_call_signal($1, 'answer', '{}')", [call!.id]);
      expect(signal).toMatchObject({ kind: "answer" });
      const presence = async () => (await client.query("select app_private.user_presence($1) as p", [bob.id])).rows[0].p;
      expect(await presence()).toBe("online");
      await rowsAs(client, bob, "select interaction_schema.join_call($1)", [call!.id]);
      expect(await presence()).toBe("in-call");
    }));

  test("a rejected request leaves the connection chat only; an expired one cannot be approved", () =>
    withRollback(async (client) => {
      const { bob, ann, connectionId } = await connectedPair(client);
      const [first] = await rowsAs(client, bob, "select * from interaction_schema.request_video($1)", [connectionId]);
      await rowsAs(client, ann, "select interaction_schema.answer_video_request($1, false)", [first!.id]);
      expect((await client.query("select connection_type from interaction_schema.connections where id = $1", [connectionId])).rows[0].connection_type).toBe("chat_only");

      // Asking again right after she declined waits out the cool-down.
      expect((await errorAs(client, bob, "select * from interaction_schema.request_video($1)", [connectionId])).code).toBe("RRATE");
      await client.query("update interaction_schema.video_requests set responded_at = now() - interval '25 hours' where id = $1", [first!.id]);
      const [second] = await rowsAs(client, bob, "select * from interaction_schema.request_video($1)", [connectionId]);
      await client.query("update interaction_schema.video_requests set expires_at = now() - interval '1 second' where id = $1", [second!.id]);
      expect((await errorAs(client, ann, "select interaction_schema.answer_video_request($1, true)", [second!.id])).code).toBe("RVEXP");
      expect((await client.query("select app_private.expire_video_requests() as n")).rows[0].n).toBe(1);
      expect((await client.query("select status from interaction_schema.video_requests where id = $1", [second!.id])).rows[0].status).toBe("expired");
      const [third] = await rowsAs(client, bob, "select * from interaction_schema.request_video($1)", [connectionId]);
      expect(third).toMatchObject({ status: "pending" });
    }));
});

describe("reports", () => {
  test("a user reports another with a reason and a message they sent; admins list and resolve", () =>
    withRollback(async (client) => {
      const { bob, ann, roomId } = await connectedPair(client);
      const message = await send(client, bob, roomId, "rude words");
      const report = "select * from interaction_schema.report_user($1, $2, null, $3)";
      const [filed] = await rowsAs(client, ann, report, [bob.id, " Insulted me ", message.id]);
      expect(filed).toMatchObject({ reason: "Insulted me", status: "open", reporter_user_id: ann.id });
      expect((await errorAs(client, ann, report, [bob.id, "   ", null])).constraint).toBe("reports_reason_1_to_1000_characters");
      expect((await errorAs(client, bob, report, [ann.id, "her message?", message.id])).code).toBe("RREFS");
      expect((await errorAs(client, ann, report, [ann.id, "me", null])).code).toBe("RSELF");
      expect(await rowsAs(client, bob, "select count(*)::int as n from interaction_schema.reports")).toEqual([{ n: 0 }]);
      expect((await errorAs(client, ann, "select interaction_schema.resolve_report($1)", [filed!.id])).code).toBe("42501");

      const admin = await player(client, "admin");
      expect((await rowsAs(client, admin, "select id from interaction_schema.reports where status = 'open'")).map((r) => r.id)).toContain(filed!.id);
      // The admin reads the reported message, and no other message of the room.
      await send(client, bob, roomId, "not reported");
      expect(await rowsAs(client, admin, "select content from communication_schema.messages where chat_room_id = $1", [roomId])).toEqual([{ content: "rude words" }]);
      expect((await rowsAs(client, admin, "select * from interaction_schema.resolve_report($1)", [filed!.id]))[0]).toMatchObject({ status: "resolved", resolved_by_user_id: admin.id });
    }));
});
