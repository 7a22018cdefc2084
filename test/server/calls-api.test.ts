/**
 * Two scripted clients, end to end over HTTP and websockets with the real
 * worker running: log in, queue, get matched, signal, connect; and every
 * refusal along the way with its code.
 */
import { errorCodes, type RegisteredUser } from "../support/api.ts";
import { superuserPool } from "../support/db.ts";
import { useLiveSystem } from "../support/live.ts";
import { waitFor } from "../support/processes.ts";
import { openIdleSocket } from "../support/ws.ts";

interface UserEvent {
  userEvents: {
    event: string;
    interaction: { rowId: string; roomId: string; makesOffer: boolean; outcome: string; partnerProfile: { displayName: string; presence: string } | null } | null;
    signal: { rowId: string; kind: string; payload: { n?: number; sdp?: string } } | null;
    connection: { rowId: string; connectionType: string } | null;
    profile: { userId: string; presence: string } | null;
  };
}

const EVENTS = `subscription {
  userEvents {
    event
    interaction { rowId roomId makesOffer outcome partnerProfile { displayName presence } }
    signal { rowId kind payload }
    connection { rowId connectionType }
    profile { userId presence }
  }
}`;

const live = useLiveSystem();

function user(role: "male" | "female", overrides: Record<string, unknown> = {}): Promise<RegisteredUser> {
  return live.user(role, { intent: "networking", ...overrides });
}

const inbox = (user: RegisteredUser) => live.inbox<UserEvent>(EVENTS, user);

const is = (name: string) => (event: UserEvent) => event.userEvents.event === name;
const mutate = (query: string, variables: Record<string, unknown>, token: string) => live.api.gql(query, variables, token);
const ENTER_QUEUE = `mutation { enterQueue(input: {}) { result { queuedAt } } }`;
const SIGNAL = `mutation ($id: UUID!, $kind: CallSignalKind!, $payload: JSON!) { sendCallSignal(input: { interactionId: $id, kind: $kind, payload: $payload }) { result { rowId } } }`;
const CONNECT = `mutation ($id: UUID!) { connect(input: { interactionId: $id }) { result { rowId connectionType } } }`;

test("from log-in to match to signaling to connection, live", async () => {
  const [ann, bob] = [await user("female", { displayName: "Ann" }), await user("male", { displayName: "Bob" })];
  const stranger0 = await user("male");
  const [annEvents, bobEvents] = await Promise.all([inbox(ann), inbox(bob)]);

  expect(errorCodes(await mutate(ENTER_QUEUE, {}, ann.token))).toEqual([]);
  expect(errorCodes(await mutate(ENTER_QUEUE, {}, bob.token))).toEqual([]);

  const [annMatch, bobMatch] = [(await annEvents.next(is("matched"))).userEvents, (await bobEvents.next(is("matched"))).userEvents];
  expect(annMatch.interaction!.roomId).toMatch(/^[0-9a-f]{64}$/);
  expect(bobMatch.interaction!.roomId).toBe(annMatch.interaction!.roomId);
  expect(annMatch.interaction!.partnerProfile).toEqual({ displayName: "Bob", presence: "in_call" });
  expect(bobMatch.interaction!.partnerProfile).toEqual({ displayName: "Ann", presence: "in_call" });
  expect([bobMatch.interaction!.makesOffer, annMatch.interaction!.makesOffer]).toEqual([true, false]);
  const callId = annMatch.interaction!.rowId;

  // Either can ask for the live call, whenever: partner, who offers, deadlines.
  const CURRENT_CALL = `{ currentCall { rowId makesOffer joinDeadline endDeadline decisionDeadline partnerProfile { displayName } } }`;
  const current = (await live.api.gql(CURRENT_CALL, {}, bob.token)).data!.currentCall;
  expect(current).toMatchObject({ rowId: callId, makesOffer: true, decisionDeadline: null, partnerProfile: { displayName: "Ann" } });
  expect(Date.parse(current.endDeadline) - Date.parse(current.joinDeadline)).toBe(30 * 60_000 - 30_000);
  expect((await live.api.gql(CURRENT_CALL, {}, stranger0.token)).data).toEqual({ currentCall: null });

  // Refusals while in the call.
  expect(errorCodes(await mutate(ENTER_QUEUE, {}, bob.token))).toEqual(["RINCL"]);
  expect(errorCodes(await mutate(CONNECT, { id: callId }, bob.token))).toEqual(["RFONL"]);
  const stranger = await user("female");
  expect(errorCodes(await mutate(SIGNAL, { id: callId, kind: "ice", payload: {} }, stranger.token))).toEqual(["RNOTP"]);

  // Signaling, in order, with a 64 KB offer.
  const sdp = "v=0".padEnd(64_000, "x");
  await mutate(SIGNAL, { id: callId, kind: "offer", payload: { sdp } }, bob.token);
  expect((await annEvents.next(is("call_signal"))).userEvents.signal).toMatchObject({ kind: "offer", payload: { sdp } });
  await mutate(SIGNAL, { id: callId, kind: "answer", payload: { sdp: "answer" } }, ann.token);
  expect((await bobEvents.next(is("call_signal"))).userEvents.signal).toMatchObject({ kind: "answer" });
  for (let n = 1; n <= 5; n++) await mutate(SIGNAL, { id: callId, kind: "ice", payload: { n } }, bob.token);
  const candidates = [];
  for (let n = 1; n <= 5; n++) candidates.push((await annEvents.next(is("call_signal"))).userEvents.signal!.payload.n);
  expect(candidates).toEqual([1, 2, 3, 4, 5]);

  for (const who of [ann, bob]) {
    await mutate(`mutation ($id: UUID!) { joinCall(input: { interactionId: $id }) { result { rowId } } }`, { id: callId }, who.token);
  }

  // She connects; both hear of it.
  const connected = await mutate(CONNECT, { id: callId }, ann.token);
  expect(connected.data?.connect.result.connectionType).toBe("chat_only");
  expect((await bobEvents.next(is("connected"))).userEvents.connection).toMatchObject({ connectionType: "chat_only" });

  // He lists his connections too, each with the partner's public profile, as is the chat room.
  const MY_CONNECTIONS = `{ connections { nodes { partner { displayName } chatRoom { partner { displayName } } } } }`;
  expect((await live.api.gql(MY_CONNECTIONS, {}, bob.token)).data).toEqual({
    connections: { nodes: [{ partner: { displayName: "Ann" }, chatRoom: { partner: { displayName: "Ann" } } }] },
  });

  // Either ends the call for both.
  await mutate(`mutation ($id: UUID!) { endCall(input: { interactionId: $id }) { result { outcome } } }`, { id: callId }, bob.token);
  expect((await annEvents.next(is("call_ended"))).userEvents.interaction!.outcome).toBe("female_connected");

  // Connection partners see each other's presence live, and only its changes:
  // entering and leaving the queue shows nothing (queuing looks online).
  const seenBefore = annEvents.events.length;
  await mutate(ENTER_QUEUE, {}, bob.token);
  await mutate(`mutation { leaveQueue(input: {}) { result } }`, {}, bob.token);
  await mutate(`mutation { logoutEverywhere(input: {}) { result } }`, {}, bob.token);
  expect((await annEvents.next((e) => is("presence")(e) && e.userEvents.profile?.presence === "offline")).userEvents.profile).toMatchObject({ presence: "offline" });
  expect(annEvents.events.slice(seenBefore).filter(is("presence"))).toHaveLength(1);
});

test("connecting after the decision window is refused", async () => {
  const [ann, bob] = [await user("female", { intent: "serious" }), await user("male", { intent: "serious" })];
  const annEvents = await inbox(ann);
  await mutate(ENTER_QUEUE, {}, ann.token);
  await mutate(ENTER_QUEUE, {}, bob.token);
  const callId = (await annEvents.next(is("matched"))).userEvents.interaction!.rowId;
  await mutate(`mutation ($id: UUID!) { endCall(input: { interactionId: $id }) { result { outcome } } }`, { id: callId }, ann.token);
  await superuserPool().query(
    "update interaction_schema.interaction_logs set started_at = now() - interval '20 minutes', ended_at = now() - interval '11 minutes' where id = $1",
    [callId],
  );
  expect(errorCodes(await mutate(CONNECT, { id: callId }, ann.token))).toEqual(["RWIND"]);
});

test("a websocket without a valid token gets no events", async () => {
  const anonymous = live.stream<UserEvent>(EVENTS);
  await expect(anonymous.next()).rejects.toThrow(/RAUTH|Log in/);
  const revoked = live.stream<UserEvent>(EVENTS, "0".repeat(64));
  await expect(revoked.next()).rejects.toThrow(/"closeCode":4401/); // refused at connection_init
});

test("a websocket is closed when the session it authenticated with ends", async () => {
  const ann = await user("female");
  const annEvents = await inbox(ann);
  const idle = await openIdleSocket(live.api.url, ann.token);
  try {
    await mutate(`mutation { logout(input: {}) { result } }`, {}, ann.token);
    // The subscription ends (RSESS) or its socket closes (4401), whichever comes first; the socket closes.
    await expect(annEvents.next(() => false, 3000)).rejects.toThrow(/RSESS|"closeCode":4401/);
    await waitFor("the socket to close", async () => idle.closeCodes.length > 0, 3000);
    expect(idle.closeCodes).toEqual([4401]);
  } finally {
    await idle.close();
  }
});
