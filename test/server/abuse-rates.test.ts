/**
 * Throttles and rate limits that hold against a client sending in parallel
 * (README "Limits"). Each case was seen passing unthrottled.
 */
import { deleteUsers, errorCodes, registerUser, startTestApi, type GraphQLResponse, type RegisteredUser, type TestApi } from "../support/api.ts";
import { superuserPool } from "../support/db.ts";
import { restoreAddressRateLimits, liftAddressRateLimits } from "../support/rate-limits.ts";

const LOGIN = `mutation ($u: String!, $p: String!) { login(input: { usernameOrEmail: $u, password: $p }) { result } }`;

let api: TestApi;
const usernames: string[] = [];

async function user(role: "male" | "female"): Promise<RegisteredUser> {
  const registered = await registerUser(api, role);
  usernames.push(registered.username);
  return registered;
}

/** Sends `count` requests one after the other and returns the error code of each (undefined: accepted). */
async function repeat(count: number, send: (i: number) => Promise<GraphQLResponse>): Promise<Array<string | undefined>> {
  const codes: Array<string | undefined> = [];
  for (let i = 0; i < count; i++) codes.push(errorCodes(await send(i))[0]);
  return codes;
}

/** Waits until `count` log-in statements wait for a lock in Postgres. */
async function waitForWaitingLogins(count: number): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const { rows } = await superuserPool().query(
      `select count(*)::int as n from pg_stat_activity
        where pid <> pg_backend_pid() and wait_event_type = 'Lock' and query ilike '%login%'`,
    );
    if (rows[0].n >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${count} log-ins never queued`);
}

/** The chat room of a connection between the two, written as the rules would write it. */
async function connectedRoom(female: RegisteredUser, male: RegisteredUser): Promise<{ id: string }> {
  const { rows } = await superuserPool().query(
    `with call as (
       insert into interaction_schema.interaction_logs (user1_id, user2_id, room_id, started_at, ended_at)
       values ($1, $2, 'r', now() - interval '2 minutes', now() - interval '1 minute') returning id),
     connection as (
       insert into interaction_schema.connections (user1_id, user2_id, interaction_log_id, female_user_id)
       select $1, $2, id, $1 from call returning id)
     insert into communication_schema.chat_rooms (connection_id, room_name) select id, 'room' from connection returning id`,
    [female.id, male.id],
  );
  return rows[0];
}

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await deleteUsers(usernames);
  await api.close();
});

describe("log-in throttle", () => {
  test("12 parallel log-ins, 11 wrong and the right one last: 5 are checked, the rest (the right one too) refused RLOCK", async () => {
    const ann = await user("female");
    // The account's turn is held until every attempt is queued behind it, the
    // right one last: attempts are checked in the order they arrive (a right
    // password checked before the lock would rightly reset the count).
    const gate = await superuserPool().connect();
    let codes: Array<string | undefined>;
    try {
      await gate.query("begin");
      await gate.query("select app_private.lock_login_subject($1)", [`user:${ann.id}`]);
      const wrong = Array.from({ length: 11 }, (_, i) => api.gql(LOGIN, { u: ann.username, p: `wrong password ${i}` }));
      // Ten reach Postgres (the API's pool size) and wait; the eleventh waits for a connection.
      await waitForWaitingLogins(10);
      const right = api.gql(LOGIN, { u: ann.username, p: ann.password });
      await new Promise((resolve) => setTimeout(resolve, 200));
      await gate.query("commit");
      codes = (await Promise.all([...wrong, right])).map((response) => errorCodes(response)[0]);
    } finally {
      gate.release();
    }
    expect(codes.filter((code) => code === "RCRED")).toHaveLength(5);
    expect(codes.filter((code) => code === "RLOCK")).toHaveLength(7);
    expect(codes.at(-1)).toBe("RLOCK");
  });

  test("changePassword and deleteAccount share the account's throttle", async () => {
    const bob = await user("male");
    const change = `mutation ($p: String!) { changePassword(input: { currentPassword: $p, newPassword: "a new long password" }) { result } }`;
    const remove = `mutation ($p: String!) { deleteAccount(input: { password: $p }) { result } }`;
    const codes = await repeat(6, (i) => api.gql(i % 2 ? remove : change, { p: `wrong ${i}` }, bob.token));
    expect(codes).toEqual(["RCRED", "RCRED", "RCRED", "RCRED", "RCRED", "RLOCK"]);
    expect(errorCodes(await api.gql(LOGIN, { u: bob.username, p: bob.password }))).toEqual(["RLOCK"]);
  });
});

describe("per-address limits (the suite's own override lifted)", () => {
  beforeAll(async () => {
    const client = await superuserPool().connect();
    await restoreAddressRateLimits(client).finally(() => client.release());
  });
  afterAll(async () => {
    const client = await superuserPool().connect();
    await liftAddressRateLimits(client).finally(() => client.release());
    await superuserPool().query("delete from app_private.rate_limit_counters where subject like 'ip:%'");
  });

  test("one client spraying wrong passwords over many accounts is refused after 30 attempts (RRATE, retry-after)", async () => {
    const codes = await repeat(32, (i) => api.gql(LOGIN, { u: `nobody_${i % 8}`, p: "wrong password" }));
    expect(codes.slice(0, 30).every((code) => code === "RCRED" || code === "RLOCK")).toBe(true);
    expect(codes.slice(30)).toEqual(["RRATE", "RRATE"]);
    const refused = await api.gql(LOGIN, { u: "nobody_0", p: "wrong password" });
    expect(refused.errors?.[0]?.message).toMatch(/Try again in \d+ seconds/);
    expect((refused.errors?.[0]?.extensions as { retryAfterSeconds?: number }).retryAfterSeconds).toBeGreaterThan(0);
  });

  test("requestPasswordReset: 5 per hour from one address", async () => {
    const reset = (i: number) => api.gql(`mutation { requestPasswordReset(input: { email: "nobody${i}@example.com" }) { result } }`);
    expect(await repeat(6, reset)).toEqual([undefined, undefined, undefined, undefined, undefined, "RRATE"]);
  });
});

describe("per-user limits", () => {
  test("sendTyping, sendMessage, enterQueue/leaveQueue and resendEmailVerification refuse a flood with RRATE", async () => {
    const [ann, bob] = [await user("female"), await user("male")];
    const room = await connectedRoom(ann, bob);
    const typing = () => api.gql(`mutation ($r: UUID!) { sendTyping(input: { chatRoomId: $r }) { result } }`, { r: room.id }, bob.token);
    expect((await repeat(31, typing)).slice(29)).toEqual([undefined, "RRATE"]);
    const message = (i: number) =>
      api.gql(`mutation ($r: UUID!, $c: String!) { sendMessage(input: { chatRoomId: $r, content: $c }) { result { rowId } } }`, { r: room.id, c: `m${i}` }, bob.token);
    expect((await repeat(61, message)).slice(59)).toEqual([undefined, "RRATE"]);
    const queue = (i: number) => api.gql(i % 2 ? "mutation { leaveQueue(input: {}) { result } }" : "mutation { heartbeat(input: {}) { result } }", {}, ann.token);
    expect((await repeat(62, queue)).filter((code) => code === "RRATE")).toHaveLength(1);
    const resend = () => api.gql("mutation { resendEmailVerification(input: {}) { result } }", {}, ann.token);
    expect(await repeat(6, resend)).toEqual([undefined, undefined, undefined, undefined, undefined, "RRATE"]);
  });

  test("reportUser: only someone one has been in a call with (RNMET)", async () => {
    const [ann, stranger] = [await user("female"), await user("male")];
    const report = await api.gql(`mutation ($id: UUID!) { reportUser(input: { userId: $id, reason: "spam" }) { result { rowId } } }`, { id: stranger.id }, ann.token);
    expect(errorCodes(report)).toEqual(["RNMET"]);
  });

  test("a user keeps at most 10 sessions: the oldest ends", async () => {
    const cat = await user("female");
    for (let i = 0; i < 11; i++) await api.gql(LOGIN, { u: cat.username, p: cat.password });
    const { rows } = await superuserPool().query("select count(*)::int as n from user_schema.user_sessions where user_id = $1", [cat.id]);
    expect(rows[0].n).toBe(10);
    // The registration's session was the oldest.
    expect(errorCodes(await api.gql("{ currentUser { rowId } }", {}, cat.token))).toEqual(["RSESS"]);
  });
});

describe("stored sizes", () => {
  test("a message's metadata of 90 kB and photo URLs of 5,000 characters are refused with the rule they break", async () => {
    const [ann, bob] = [await user("female"), await user("male")];
    const room = await connectedRoom(ann, bob);
    const send = `mutation ($r: UUID!, $m: JSON!) { sendMessage(input: { chatRoomId: $r, content: "hi", metadata: $m }) { result { rowId } } }`;
    const big = await api.gql(send, { r: room.id, m: { pad: "x".repeat(90_000) } }, bob.token);
    expect(big.errors?.[0]).toMatchObject({ message: "metadata must be a JSON object of at most 2 KB.", extensions: { code: "RINVL", field: "metadata" } });
    expect((await api.gql(send, { r: room.id, m: { note: "small" } }, bob.token)).errors).toBeUndefined();

    const photos = Array.from({ length: 6 }, (_, i) => `https://example.com/${i}/${"p".repeat(5000)}`);
    const update = `mutation ($id: UUID!, $photos: JSON!) { updateProfileByUserId(input: { userId: $id, patch: { photos: $photos } }) { profile { photos } } }`;
    const tooLong = await api.gql(update, { id: ann.id, photos }, ann.token);
    expect(tooLong.errors?.[0]).toMatchObject({ message: "Each photo or video URL has at most 2048 characters.", extensions: { code: "RINVL" } });
  });
});
