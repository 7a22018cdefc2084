/**
 * Errors an app can switch on, over HTTP: a missing argument is a validation
 * error naming it; a visitor asking for a logged-in operation gets RAUTH;
 * database rule violations get a code, a plain message and the field, never
 * an internal schema, table or constraint name.
 */
import { createClient } from "graphql-ws";
import { deleteUsers, registerUser, startTestApi, type GraphQLResponse, type RegisteredUser, type TestApi } from "../support/api.ts";

let api: TestApi;
let bob: RegisteredUser;

beforeAll(async () => {
  api = await startTestApi();
  bob = await registerUser(api, "male");
});
afterAll(async () => {
  await deleteUsers([bob.username]);
  await api.close();
});

const INTERNAL_NAMES = /_schema|profiles_|permission denied|violates|character varying/;

function onlyError(response: GraphQLResponse) {
  expect(response.errors).toHaveLength(1);
  const [error] = response.errors!;
  expect(error!.message).not.toMatch(INTERNAL_NAMES);
  return error!;
}

test("a forgotten required argument is a validation error that names it, before anything runs", async () => {
  const error = onlyError(await api.gql(`mutation { connect(input: {}) { clientMutationId } }`, {}, bob.token));
  expect(error.message).toContain("interactionId");
});

test("a visitor is null to currentUser, and gets RAUTH for what needs a log-in", async () => {
  expect(await api.gql(`{ currentUser { rowId } }`)).toEqual({ data: { currentUser: null } });
  expect(onlyError(await api.gql(`mutation { enterQueue(input: {}) { clientMutationId } }`)).extensions?.code).toBe("RAUTH");
  expect(onlyError(await api.gql(`{ connections { nodes { rowId } } }`)).extensions?.code).toBe("RAUTH");
});

const PATCH = `mutation ($userId: UUID!, $patch: ProfilePatch!) { updateProfileByUserId(input: { userId: $userId, patch: $patch }) { profile { rowId } } }`;

test.each([
  ["a 101-character city", { locationCity: "x".repeat(101) }, "RINVL", "locationCity", "locationCity must have at most 100 characters."],
  ["photos that are not an array", { photos: "https://cdn.example.com/1.jpg" }, "RINVL", "photos", "photos must be a JSON array of at most 6 https URLs."],
  ["preferences of the wrong shape", { preferences: { age_min: "twenty" } }, "RINVL", "preferences", undefined],
  ["a NUL character", { shortBio: "a\u0000b" }, "RNULC", undefined, undefined],
])("a profile edit with %s is refused with a code and the field", async (_label, patch, code, field, message) => {
  const error = onlyError(await api.gql(PATCH, { userId: bob.id, patch }, bob.token));
  expect(error.extensions).toEqual({ code, ...(field ? { field } : {}) });
  if (message) expect(error.message).toBe(message);
});

/** Opens a graphql-ws socket, sends connection_init with this token, and reports how the server answered. */
async function connectionInit(token: string): Promise<{ acknowledged: boolean; closeCode?: number }> {
  const socket = new WebSocket(`${api.url.replace(/^http/, "ws")}/graphql`, "graphql-transport-ws");
  return new Promise((resolve, reject) => {
    let acknowledged = false;
    const timer = setTimeout(() => reject(new Error("no answer to connection_init")), 5000);
    socket.onopen = () => socket.send(JSON.stringify({ type: "connection_init", payload: { authorization: `Bearer ${token}` } }));
    socket.onmessage = (message) => {
      if (JSON.parse(String(message.data)).type === "connection_ack") {
        acknowledged = true;
        clearTimeout(timer);
        socket.close();
        resolve({ acknowledged });
      }
    };
    socket.onclose = (event) => {
      clearTimeout(timer);
      resolve({ acknowledged, closeCode: event.code });
    };
  });
}

test("a websocket with a live token is acknowledged; with an ended or invalid one it is closed 4401 at connection_init", async () => {
  const ann = await registerUser(api, "female");
  try {
    expect(await connectionInit(ann.token)).toEqual({ acknowledged: true });
    await api.gql(`mutation { logout(input: {}) { clientMutationId } }`, {}, ann.token);
    // The API drops its copy of the session when the database announces the end, a few ms after the commit.
    let answer = await connectionInit(ann.token);
    for (let attempt = 0; answer.acknowledged && attempt < 20; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      answer = await connectionInit(ann.token);
    }
    expect(answer).toEqual({ acknowledged: false, closeCode: 4401 });
    expect(await connectionInit("0".repeat(64))).toEqual({ acknowledged: false, closeCode: 4401 });
  } finally {
    await deleteUsers([ann.username]);
  }
});

test("a visitor over a websocket gets RAUTH too", async () => {
  const client = createClient({ url: `${api.url.replace(/^http/, "ws")}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0 });
  try {
    const result = await new Promise<{ errors?: ReadonlyArray<{ message: string; extensions?: Record<string, unknown> }> }>((resolve, reject) => {
      client.subscribe({ query: `mutation { enterQueue(input: {}) { clientMutationId } }` }, { next: resolve, error: reject, complete: () => {} });
    });
    expect(result.errors?.map((error) => error.extensions?.code)).toEqual(["RAUTH"]);
  } finally {
    await client.dispose();
  }
});
