/**
 * What one hostile client can ask of the API in one request or one websocket
 * (README "Limits"): each case was seen taking the server down or leaking.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { config } from "../../src/config.ts";
import { documentHash, readTrustedDocuments } from "../../src/server/trusted-documents.ts";
import { deleteUsers, errorCodes, registerUser, startTestApi, type RegisteredUser, type TestApi } from "../support/api.ts";
import { superuserPool } from "../support/db.ts";

/** A raw graphql-transport-ws client: messages as sent, answers as received. */
class RawSocket {
  readonly messages: any[] = [];
  closeCode: number | undefined;
  readonly socket: WebSocket;
  private constructor(socket: WebSocket) {
    this.socket = socket;
    socket.addEventListener("message", (event) => this.messages.push(JSON.parse(String(event.data))));
    socket.addEventListener("close", (event) => (this.closeCode = event.code));
  }

  /** Opens a socket; resolves with the status of a refused upgrade instead (e.g. 429). */
  static async open(url: string, token?: string): Promise<RawSocket> {
    const socket = new WebSocket(url.replace(/^http/, "ws") + "/graphql", "graphql-transport-ws");
    const raw = new RawSocket(socket);
    await new Promise<void>((resolve, reject) => {
      socket.addEventListener("open", () => resolve(), { once: true });
      socket.addEventListener("error", () => reject(new Error("websocket refused")), { once: true });
    });
    raw.send({ type: "connection_init", payload: token ? { authorization: `Bearer ${token}` } : {} });
    await raw.waitFor((m) => m.type === "connection_ack");
    return raw;
  }

  send(message: object): void {
    this.socket.send(JSON.stringify(message));
  }

  async waitFor(matches: (message: any) => boolean, timeoutMs = 5000): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const found = this.messages.find(matches);
      if (found) return found;
      if (this.closeCode !== undefined) throw new Error(`socket closed (${this.closeCode})`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error("no such message in time");
  }

  async closed(timeoutMs = 5000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (this.closeCode === undefined && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    return this.closeCode ?? -1;
  }

  close(): void {
    this.socket.close();
  }
}

/** 15 fragments, each spreading the previous twice: 2^15 copies of one field once expanded. */
function fragmentBomb(salt: string): string {
  const fragments = [`fragment F0 on Query { ${salt}: __typename }`];
  for (let i = 1; i <= 15; i++) fragments.push(`fragment F${i} on Query { ...F${i - 1} query { ...F${i - 1} } }`);
  return `query { ...F15 } ${fragments.join(" ")}`;
}

/** The error code of a graphql-transport-ws "error" or "next" message. */
function codeOf(message: any): string | undefined {
  const errors = message.type === "error" ? message.payload : message.payload?.errors;
  return errors?.[0]?.extensions?.code;
}

async function post(api: TestApi, body: object, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${api.url}/graphql`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
}

describe("operation limits", () => {
  let api: TestApi;
  let user: RegisteredUser;
  beforeAll(async () => {
    api = await startTestApi({ introspection: false });
    user = await registerUser(api, "female");
  });
  afterAll(async () => {
    await deleteUsers([user.username]);
    await api.close();
  });

  test("a fragment bomb is refused (RLIMT) before it runs, in well under 50 ms", async () => {
    const timings: number[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const started = performance.now();
      const response = await api.gql(fragmentBomb(`t${attempt}`));
      timings.push(performance.now() - started);
      expect(response.data ?? null).toBeNull();
      expect(errorCodes(response)).toContain("RLIMT");
    }
    // The best of three, so that a busy test machine does not decide.
    expect(Math.min(...timings)).toBeLessThan(50);
  });

  test("an alias scan is refused: at most GRAPHQL_MAX_ALIASES aliases", async () => {
    const aliases = Array.from({ length: 60 }, (_, i) => `a${i}: currentUser { rowId }`).join(" ");
    expect(errorCodes(await api.gql(`{ ${aliases} }`, {}, user.token))).toContain("RLIMT");
    const allowed = Array.from({ length: config.limits.graphql.maxAliases }, (_, i) => `a${i}: currentUser { rowId }`).join(" ");
    expect((await api.gql(`{ ${allowed} }`, {}, user.token)).errors).toBeUndefined();
  });

  test("depth, directives and tokens are bounded", async () => {
    const deep = `{ currentUser { ${"profile { user { ".repeat(8)} rowId ${"} } ".repeat(8)} } }`;
    expect(errorCodes(await api.gql(deep, {}, user.token))).toContain("RLIMT");
    const directives = `{ __typename ${"@include(if: true) ".repeat(30)} }`;
    expect(errorCodes(await api.gql(directives))).toContain("RLIMT");
    const tokens = `{ ${Array.from({ length: 3000 }, () => "__typename").join(" ")} }`;
    expect(errorCodes(await api.gql(tokens))).toContain("RLIMT");
  });

  test("at most one password-hashing mutation per request", async () => {
    const logins = Array.from({ length: 2 }, (_, i) => `l${i}: login(input: { usernameOrEmail: "${user.username}", password: "wrong password ${i}" }) { result }`);
    expect(errorCodes(await api.gql(`mutation { ${logins.join(" ")} }`))).toEqual(["RLIMT"]);
    const viaFragment = `mutation { ...L ...L } fragment L on Mutation { login(input: { usernameOrEmail: "x", password: "y" }) { result } }`;
    expect(errorCodes(await api.gql(viaFragment))).toContain("RLIMT");
  });

  test("first / last above GRAPHQL_MAX_PAGE_SIZE is refused (RPAGE), also as a variable", async () => {
    // Written in the query, the cost limit (first multiplies) may refuse it first.
    const response = await api.gql(`{ publicProfiles(first: 1000000) { nodes { displayName } } }`, {}, user.token);
    expect(["RPAGE", "RLIMT"]).toContain(errorCodes(response)[0]);
    const viaVariable = await api.gql(`query($n: Int) { publicProfiles(last: $n) { nodes { displayName } } }`, { n: 101 }, user.token);
    expect(errorCodes(viaVariable)).toEqual(["RPAGE"]);
    expect((await api.gql(`{ publicProfiles(first: 100) { nodes { displayName } } }`, {}, user.token)).errors).toBeUndefined();
  });

  test("without introspection, errors suggest no field names; no X-Powered-By", async () => {
    const response = await post(api, { query: "{ currentUsr { rowId } }" });
    expect(response.headers.get("x-powered-by")).toBeNull();
    const body = (await response.json()) as { errors: Array<{ message: string }> };
    expect(body.errors[0]!.message).toMatch(/currentUsr/);
    expect(JSON.stringify(body)).not.toMatch(/Did you mean|currentUser/);
  });

  test("a subscription over HTTP is refused (RWSUB): only a websocket closes with its session", async () => {
    const response = await post(api, { query: "subscription { userEvents { event } }" }, { authorization: `Bearer ${user.token}`, accept: "multipart/mixed, application/json" });
    const text = await response.text();
    expect(text).toContain("RWSUB");
  });

  test("a statement that runs past STATEMENT_TIMEOUT_SECONDS is cancelled with RTIME", async () => {
    const quick = await startTestApi({ limits: { ...config.limits, statementTimeoutSeconds: 1 } });
    const blocker = await superuserPool().connect();
    try {
      // Hold the user's session row, so that heartbeat waits for it.
      await blocker.query("begin");
      await blocker.query("select 1 from user_schema.user_sessions where user_id = $1 for update", [user.id]);
      // The blocker waits for this answer before it lets go: an answer at all means the statement was cancelled.
      const response = await quick.gql("mutation { heartbeat(input: {}) { result } }", {}, user.token);
      expect(errorCodes(response)).toEqual(["RTIME"]);
    } finally {
      await blocker.query("rollback");
      blocker.release();
      await quick.close();
    }
  });
});

describe("websocket limits", () => {
  let api: TestApi;
  let user: RegisteredUser;
  const sockets: RawSocket[] = [];
  beforeAll(async () => {
    api = await startTestApi();
    user = await registerUser(api, "male");
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await deleteUsers([user.username]);
    await api.close();
  });

  test("a 5 MB message closes the socket (1009) before login, and the server goes on", async () => {
    const socket = new WebSocket(api.url.replace(/^http/, "ws") + "/graphql", "graphql-transport-ws");
    await new Promise((resolve) => socket.addEventListener("open", resolve, { once: true }));
    const closed = new Promise<number>((resolve) => socket.addEventListener("close", (event) => resolve(event.code), { once: true }));
    socket.send(JSON.stringify({ type: "connection_init", payload: { pad: "x".repeat(5 * 1024 * 1024) } }));
    expect(await closed).toBe(1009);
    expect((await api.gql("{ __typename }")).data).toEqual({ __typename: "Query" });
  });

  test("a subscription flood: at most WS_MAX_SUBSCRIPTIONS_PER_SOCKET live, the rest RSUBS, /healthz answers within 1 s", async () => {
    const { maxSubscriptionsPerSocket, maxSubscriptionsPerUser } = config.limits.websocket;
    const socket = await RawSocket.open(api.url, user.token);
    sockets.push(socket);
    const flood = 500;
    for (let i = 0; i < flood; i++) {
      socket.send({ id: `s${i}`, type: "subscribe", payload: { query: "subscription { userEvents { event } }" } });
    }
    const healthz: number[] = [];
    const deadline = Date.now() + 10_000;
    while (socket.messages.filter((m) => codeOf(m) === "RSUBS").length < flood - maxSubscriptionsPerSocket && Date.now() < deadline) {
      const started = Date.now();
      expect((await fetch(`${api.url}/healthz`, { signal: AbortSignal.timeout(1000) })).status).toBe(200);
      healthz.push(Date.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const refused = socket.messages.filter((m) => codeOf(m) === "RSUBS");
    expect(refused).toHaveLength(flood - maxSubscriptionsPerSocket);
    expect(Math.max(...healthz)).toBeLessThan(1000);

    // Over all of a user's sockets, WS_MAX_SUBSCRIPTIONS_PER_USER.
    const more: RawSocket[] = [];
    for (let i = 0; i * maxSubscriptionsPerSocket < maxSubscriptionsPerUser; i++) more.push(await RawSocket.open(api.url, user.token));
    sockets.push(...more);
    let id = 0;
    for (const extra of more) {
      for (let i = 0; i < maxSubscriptionsPerSocket; i++) extra.send({ id: `u${id++}`, type: "subscribe", payload: { query: "subscription { userEvents { event } }" } });
    }
    const expectedRefusals = maxSubscriptionsPerSocket * more.length - (maxSubscriptionsPerUser - maxSubscriptionsPerSocket);
    const countRefused = () => more.flatMap((s) => s.messages).filter((m) => codeOf(m) === "RSUBS").length;
    const until = Date.now() + 5000;
    while (countRefused() < expectedRefusals && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(countRefused()).toBe(expectedRefusals);

    // Completing subscriptions frees their places.
    for (let i = 0; i < maxSubscriptionsPerSocket; i++) socket.send({ id: `s${i}`, type: "complete" });
    more[0]!.close();
    await more[0]!.closed();
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.send({ id: "again", type: "subscribe", payload: { query: "subscription { userEvents { event } }" } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Accepted: its only message is the `subscribed` event that every subscription starts with.
    expect(socket.messages.filter((m) => m.id === "again" && codeOf(m) !== undefined)).toEqual([]);
  });

  test("an address keeps at most WS_MAX_ANONYMOUS_SOCKETS_PER_ADDRESS anonymous sockets open", async () => {
    const { maxAnonymousSocketsPerAddress } = config.limits.websocket;
    const anonymous: RawSocket[] = [];
    for (let i = 0; i < maxAnonymousSocketsPerAddress; i++) anonymous.push(await RawSocket.open(api.url));
    sockets.push(...anonymous);
    // One more is closed at connection_init (4403).
    await expect(RawSocket.open(api.url)).rejects.toThrow("socket closed (4403)");
    // A socket that logs in with a live session is not anonymous.
    sockets.push(await RawSocket.open(api.url, user.token));
    anonymous[0]!.close();
    await anonymous[0]!.closed();
    await new Promise((resolve) => setTimeout(resolve, 50));
    sockets.push(await RawSocket.open(api.url));
  });
});

describe("the API process's live channels", () => {
  let api: TestApi;
  const users: RegisteredUser[] = [];
  const sockets: RawSocket[] = [];
  beforeAll(async () => {
    api = await startTestApi({ limits: { ...config.limits, websocket: { ...config.limits.websocket, maxLiveChannels: 2 } } });
    for (const role of ["female", "male", "male"] as const) users.push(await registerUser(api, role));
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await deleteUsers(users.map((user) => user.username));
    await api.close();
  });

  test("at most LIVE_MAX_CHANNELS distinct channels: one more is refused RCHAN, an open one is shared, a closed one frees its place", async () => {
    const [ann, bob, cid] = users as [RegisteredUser, RegisteredUser, RegisteredUser];
    const subscribe = async (user: RegisteredUser, id: string) => {
      const socket = await RawSocket.open(api.url, user.token);
      sockets.push(socket);
      socket.send({ id, type: "subscribe", payload: { query: "subscription { userEvents { event } }" } });
      const first = await socket.waitFor((m) => m.id === id);
      return { socket, code: codeOf(first), event: first.payload?.data?.userEvents?.event };
    };
    expect((await subscribe(ann, "ann")).event).toBe("subscribed");
    const bobs = await subscribe(bob, "bob");
    expect(bobs.event).toBe("subscribed");
    expect((await subscribe(cid, "cid")).code).toBe("RCHAN"); // a third user's channel
    expect((await subscribe(ann, "ann-again")).event).toBe("subscribed"); // Ann's channel is open already
    bobs.socket.send({ id: "bob", type: "complete" });
    let again = await subscribe(cid, "cid-again");
    for (let tries = 0; again.code === "RCHAN" && tries < 20; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 50)); // Bob's channel closes when his stream has ended
      again = await subscribe(cid, `cid-again-${tries}`);
    }
    expect(again.event).toBe("subscribed");
  });
});

describe("trusted documents (GRAPHQL_TRUSTED_DOCUMENTS)", () => {
  const ME = "query Me { currentUser { username } }";
  const INBOX = "subscription Inbox { userEvents { event } }";
  let api: TestApi;
  let user: RegisteredUser;
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(path.join(os.tmpdir(), "rtc-trusted-"));
    const file = path.join(folder, "persisted-documents.json");
    await writeFile(file, JSON.stringify({ [documentHash(ME)]: ME, [documentHash(INBOX)]: INBOX }));
    api = await startTestApi({ trustedDocuments: file });
    user = await registerUserThroughOpenApi();
  });
  afterAll(async () => {
    await deleteUsers([user.username]);
    await api.close();
    await rm(folder, { recursive: true, force: true });
  });

  /** Registering is not among this file's documents: the user is made through an API that runs any. */
  async function registerUserThroughOpenApi(): Promise<RegisteredUser> {
    const open = await startTestApi();
    try {
      return await registerUser(open, "female");
    } finally {
      await open.close();
    }
  }

  test("a document named by its SHA-256 runs, over HTTP and websockets; any other text is refused", async () => {
    const byId = await post(api, { documentId: documentHash(ME) }, { authorization: `Bearer ${user.token}` });
    expect(await byId.json()).toEqual({ data: { currentUser: { username: user.username } } });
    const byApolloHash = await post(api, { extensions: { persistedQuery: { version: 1, sha256Hash: documentHash(ME) } } });
    expect(await byApolloHash.json()).toEqual({ data: { currentUser: null } });

    for (const body of [{ query: ME }, { documentId: documentHash("query Other { __typename }") }]) {
      const refused = await post(api, body);
      expect(refused.status).toBe(400);
      expect((await refused.json()).data).toBeUndefined();
    }

    const socket = await RawSocket.open(api.url, user.token);
    try {
      // graphql-ws wants a query string in every subscribe message: an empty one, then.
      socket.send({ id: "inbox", type: "subscribe", payload: { query: "", documentId: documentHash(INBOX) } });
      expect((await socket.waitFor((m) => m.id === "inbox")).payload).toEqual({ data: { userEvents: { event: "subscribed" } } });
      socket.send({ id: "raw", type: "subscribe", payload: { query: INBOX } });
      expect(await socket.waitFor((m) => m.id === "raw")).toMatchObject({ type: "error", payload: [{ extensions: { statusCode: 400 } }] });
    } finally {
      socket.close();
    }
  });

  test("a file whose key is not the SHA-256 of its document is refused at start", async () => {
    const file = path.join(folder, "wrong.json");
    await writeFile(file, JSON.stringify({ [documentHash(ME)]: INBOX }));
    await expect(readTrustedDocuments(file)).rejects.toThrow("is not the SHA-256 of its document");
  });
});
