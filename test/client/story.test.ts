/**
 * The whole story as an app developer meets it, through the typed client of
 * story.ts (documents generated from schema.graphql): only non-null required
 * inputs and enum values, and each refusal's code.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { projectRoot } from "../../src/config.ts";
import { graphql } from "./graphql/index.ts";
import { ApiError, playStory, request } from "./story.ts";
import { useLiveSystem } from "../support/live.ts";
import { deleteUsers } from "../support/api.ts";

const live = useLiveSystem();
const names = { ann: `ann_${randomBytes(4).toString("hex")}`, bob: `bob_${randomBytes(4).toString("hex")}` };
afterAll(() => deleteUsers([names.ann, names.bob]));

const EnterQueue = graphql(`mutation VisitorEnterQueue { enterQueue(input: {}) { clientMutationId } }`);
const Connect = graphql(`mutation HeConnects($interactionId: UUID!) { connect(input: { interactionId: $interactionId }) { clientMutationId } }`);
const EditCity = graphql(`
  mutation EditCity($userId: UUID!, $city: String!) {
    updateProfileByUserId(input: { userId: $userId, patch: { locationCity: $city } }) { profile { locationCity } }
  }
`);
const Me = graphql(`query Me { currentUser { rowId email role profile { intent } } }`);
const Logout = graphql(`mutation Logout { logout(input: {}) { clientMutationId } }`);

async function refused(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(() => undefined, (thrown: unknown) => thrown);
  if (!(error instanceof ApiError)) throw new Error(`expected a refusal, got ${String(error)}`);
  return error;
}

/** connection_init with this token: acknowledged, or the close code. */
function connectionInit(token: string): Promise<string | number> {
  const socket = new WebSocket(`${live.api.url.replace(/^http/, "ws")}/graphql`, "graphql-transport-ws");
  return new Promise((resolve) => {
    socket.onopen = () => socket.send(JSON.stringify({ type: "connection_init", payload: { authorization: `Bearer ${token}` } }));
    socket.onmessage = () => (socket.close(), resolve("acknowledged"));
    socket.onclose = (event) => resolve(event.code);
  });
}

/**
 * The API keeps sessions in memory and drops one when the database announces
 * its end, a few milliseconds after the log-out commits: ask until then.
 */
async function refusedOnceEnded(token: string): Promise<string | number> {
  for (let attempt = 0; ; attempt++) {
    const answer = await connectionInit(token);
    if (answer !== "acknowledged" || attempt === 20) return answer;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test("register, match, signal, connect, chat; and the refusals, each with its code", async () => {
  const url = live.api.url;
  expect((await refused(request(url, EnterQueue, {}))).codes).toEqual(["RAUTH"]);

  const story = await playStory(url, names);
  expect(story.herPartner).toBe(names.bob);
  expect(story.hisMessages[0]).toBe("text: Hi Ann!");

  const me = (await request(url, Me, {}, story.bob)).currentUser!;
  expect(me).toMatchObject({ email: `${names.bob}@example.com`, role: "male", profile: { intent: "friends" } });
  expect((await refused(request(url, Connect, { interactionId: story.callId }, story.bob))).codes).toEqual(["RFONL"]);
  const city = await refused(request(url, EditCity, { userId: me.rowId, city: "x".repeat(101) }, story.bob));
  expect(city.errors).toMatchObject([{ message: "locationCity must have at most 100 characters.", extensions: { code: "RINVL", field: "locationCity" } }]);

  // A third user cannot listen to their room.
  const stranger = await live.user("female");
  const spy = live.stream(`subscription ($id: UUID!) { roomEvents(chatRoomId: $id) { event } }`, stranger.token, { id: story.chatRoomId });
  await expect(spy.next(undefined, 5000)).rejects.toThrow(/"code":"RROOM"/);

  expect(await connectionInit(story.ann)).toBe("acknowledged");
  await request(url, Logout, {}, story.ann);
  expect(await refusedOnceEnded(story.ann)).toBe(4401);
});

test("the typed documents are generated from the current schema.graphql (npm run codegen)", async () => {
  await expect(promisify(execFile)("npx", ["graphql-codegen", "--config", "codegen.ts", "--check"], { cwd: projectRoot })).resolves.toBeDefined();
}, 60_000);
