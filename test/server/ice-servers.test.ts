/** `iceServers`: STUN/TURN settings, and TURN REST credentials per user when a secret is set. */
import { createHmac } from "node:crypto";
import { deleteUsers, errorCodes, registerUser, startTestApi, type RegisteredUser, type TestApi } from "../support/api.ts";
import type { IceSettings } from "../../src/server/plugins/ice-servers.ts";

const ICE_SERVERS = "{ iceServers { urls username credential } }";
const started: TestApi[] = [];
const usernames: string[] = [];

async function api(ice?: IceSettings): Promise<TestApi> {
  const server = await startTestApi({ ice });
  started.push(server);
  return server;
}

async function user(server: TestApi): Promise<RegisteredUser> {
  const registered = await registerUser(server, "female");
  usernames.push(registered.username);
  return registered;
}

afterAll(async () => {
  await deleteUsers(usernames);
  await Promise.all(started.map((server) => server.close()));
});

test("with nothing configured, a logged-in user gets no servers and a visitor gets RAUTH", async () => {
  const server = await api();
  expect(errorCodes(await server.gql(ICE_SERVERS))).toEqual(["RAUTH"]);
  expect((await server.gql(ICE_SERVERS, {}, (await user(server)).token)).data).toEqual({ iceServers: [] });
});

test("with a TURN secret, each user gets credentials that coturn's use-auth-secret accepts, valid for the configured time", async () => {
  const secret = "a shared secret";
  const server = await api({ stunUrls: ["stun:127.0.0.1:3478"], turnUrls: ["turn:127.0.0.1:3478?transport=udp"], turnSecret: secret, turnCredentialSeconds: 600 });
  const ann = await user(server);
  const before = Math.floor(Date.now() / 1000);
  const response = await server.gql<{ iceServers: Array<{ urls: string[]; username: string | null; credential: string | null }> }>(ICE_SERVERS, {}, ann.token);
  const [stun, turn] = response.data!.iceServers;
  expect(stun).toEqual({ urls: ["stun:127.0.0.1:3478"], username: null, credential: null });
  expect(turn!.urls).toEqual(["turn:127.0.0.1:3478?transport=udp"]);
  const [expiry, userId] = turn!.username!.split(":");
  expect(userId).toBe(ann.id);
  expect(Number(expiry) - before).toBeGreaterThanOrEqual(600);
  expect(Number(expiry) - before).toBeLessThanOrEqual(602);
  expect(turn!.credential).toBe(createHmac("sha1", secret).update(turn!.username!).digest("base64"));
  expect(errorCodes(await server.gql(ICE_SERVERS))).toEqual(["RAUTH"]);
});
