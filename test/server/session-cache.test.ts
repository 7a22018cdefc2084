/**
 * Bearer tokens are resolved once and kept in the API process
 * (src/server/session-cache.ts). A kept session must still stop working at
 * once when it ends: after log-out and after a ban, over HTTP and websockets.
 */
import { SessionCache } from "../../src/server/session-cache.ts";
import { deleteUsers, errorCodes, registerUser, startTestApi, type RegisteredUser, type TestApi } from "../support/api.ts";
import { superuserPool } from "../support/db.ts";
import { createConnection, createSession, createUser } from "../support/factories.ts";
import { whenSubscribed } from "../support/live.ts";
import { subscribe } from "../support/ws.ts";

describe("the cache itself", () => {
  const session = (id: string, expiresInMs = 60_000) => ({ session_id: id, user_id: "u", user_role: "male", expires_at: new Date(Date.now() + expiresInMs) });

  test("answers a known token without the database, until the session ends or expires", async () => {
    let lookups = 0;
    const cache = new SessionCache(async (token) => (lookups++, token === "expiring" ? session("s2", 1) : session("s1")), { ttlMs: 60_000, maxEntries: 10 });
    await cache.lookup("token");
    await cache.lookup("token");
    expect(lookups).toBe(1);
    cache.forget("s1");
    await cache.lookup("token");
    expect(lookups).toBe(2);
    await cache.lookup("expiring");
    await new Promise((resolve) => setTimeout(resolve, 5));
    await cache.lookup("expiring");
    expect(lookups).toBe(4);
  });

  test("keeps each answer for a random part of the ttl's second half, so that answers kept together are not looked up again together", async () => {
    let lookups = 0;
    const cache = new SessionCache(async (token) => (lookups++, session(token)), { ttlMs: 2000, maxEntries: 1000 });
    const tokens = Array.from({ length: 200 }, (_, index) => `token-${index}`);
    const lookUpAllAt = async (ms: number) => {
      await new Promise((resolve) => setTimeout(resolve, ms - (Date.now() - keptAt)));
      await Promise.all(tokens.map((token) => cache.lookup(token)));
    };
    const keptAt = Date.now();
    await Promise.all(tokens.map((token) => cache.lookup(token)));
    await lookUpAllAt(500);
    expect(lookups).toBe(200); // none before half the ttl
    await lookUpAllAt(1500);
    expect(lookups).toBeGreaterThan(200); // some in the second half ...
    expect(lookups).toBeLessThan(400); // ... not all at once
  });

  test("does not keep an answer that a session end overtook", async () => {
    let release!: () => void;
    let lookups = 0;
    const cache = new SessionCache(
      (_token) => {
        lookups++;
        return new Promise((resolve) => (release = () => resolve(session("s1"))));
      },
      { ttlMs: 60_000, maxEntries: 10 },
    );
    const pending = cache.lookup("token");
    cache.forget("s1"); // announced while the look-up was on its way
    release();
    await pending;
    void cache.lookup("token");
    expect(lookups).toBe(2);
    release();
  });
});

describe("through the API", () => {
  let api: TestApi;
  const created: string[] = [];
  const HEARTBEAT = "mutation { heartbeat(input: {}) { clientMutationId } }";
  const INBOX = "subscription { userEvents { event } }";

  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await deleteUsers(created);
    await api.close();
  });

  async function cachedUser(role: "male" | "female"): Promise<RegisteredUser> {
    const user = await registerUser(api, role);
    created.push(user.username);
    // Twice: the second request is answered from the cache.
    for (let n = 0; n < 2; n++) expect((await api.gql(HEARTBEAT, {}, user.token)).errors).toBeUndefined();
    return user;
  }

  /** The token no longer works: refused at once, over HTTP and on a new websocket. */
  async function expectRefused(user: RegisteredUser): Promise<void> {
    const http = await api.gql(HEARTBEAT, {}, user.token);
    expect(["RAUTH", "RSESS"]).toContain(errorCodes(http)[0]);
    const me = await api.gql("{ currentUser { rowId } }", {}, user.token);
    expect(me.data?.currentUser ?? null).toBeNull();
    const events = subscribe<unknown>(api.url, INBOX, user.token);
    try {
      await expect(events.next(() => true, 3000)).rejects.toThrow(/RSESS|RAUTH|4401/);
    } finally {
      await events.close();
    }
  }

  test("after log-out", async () => {
    const user = await cachedUser("female");
    const open = await whenSubscribed(subscribe<unknown>(api.url, INBOX, user.token));
    expect(errorCodes(await api.gql("mutation { logout(input: {}) { result } }", {}, user.token))).toEqual([]);
    await expectRefused(user);
    // Its subscription ends (RSESS) or its socket closes (4401), whichever the API hears first.
    await expect(open.next(() => false, 3000)).rejects.toThrow(/RSESS|"closeCode":4401/);
    await open.close();
  });

  test("after a ban", async () => {
    const user = await cachedUser("male");
    const open = await whenSubscribed(subscribe<unknown>(api.url, INBOX, user.token));
    await superuserPool().query("update user_schema.users set is_active = false where id = $1", [user.id]);
    await expectRefused(user);
    // Its subscription ends (RSESS) or its socket closes (4401), whichever the API hears first.
    await expect(open.next(() => false, 3000)).rejects.toThrow(/RSESS|"closeCode":4401/);
    await open.close();
  });

  test("an event committed after the session ended never reaches that session's subscription", async () => {
    const owner = superuserPool();
    const [bob, ann] = [await createUser(owner, "male"), await createUser(owner, "female")];
    created.push(bob.username, ann.username);
    const connectionId = await createConnection(owner, bob, ann);
    const { rows } = await owner.query("insert into communication_schema.chat_rooms (connection_id, room_name) values ($1, 'room') returning id", [connectionId]);
    const roomId = rows[0].id as string;
    const room = await whenSubscribed(
      subscribe<{ roomEvents: { event: string } }>(api.url, "subscription ($id: UUID!) { roomEvents(chatRoomId: $id) { event } }", await createSession(owner, bob), { id: roomId }),
    );
    // One transaction: the session ends, then a message arrives. Both
    // notifications reach the API together; the message must not be shown.
    const client = await owner.connect();
    try {
      await client.query("begin");
      await client.query("delete from user_schema.user_sessions where user_id = $1", [bob.id]);
      const message = await client.query("insert into communication_schema.messages (chat_room_id, sender_user_id, content) values ($1, $2, 'too late') returning id", [roomId, ann.id]);
      await client.query("select app_private.notify_room(m, 'message_created') from communication_schema.messages m where m.id = $1", [message.rows[0].id]);
      await client.query("commit");
    } catch (error) {
      await client.query("rollback");
      throw error;
    } finally {
      client.release();
    }
    await expect(room.next((event) => event.roomEvents.event === "message_created", 3000)).rejects.toThrow(/RSESS|"closeCode":4401/);
    expect(room.events.map((event) => event.roomEvents.event)).toEqual(["subscribed"]);
    await room.close();
  });

  test("a dead token gets its 401 once the end is announced", async () => {
    const user = await cachedUser("female");
    await superuserPool().query("delete from user_schema.user_sessions where user_id = $1", [user.id]);
    const deadline = Date.now() + 3000;
    let codes = errorCodes(await api.gql(HEARTBEAT, {}, user.token));
    while (codes[0] !== "RSESS" && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      codes = errorCodes(await api.gql(HEARTBEAT, {}, user.token));
    }
    expect(codes).toEqual(["RSESS"]);
  });
});
