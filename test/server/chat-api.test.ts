/**
 * Chat and video end to end over HTTP and websockets, with the real worker:
 * she connects, they chat both ways with receipts and typing, he asks for
 * video, she approves, a video call is signaled; and the refusals.
 */
import { errorCodes } from "../support/api.ts";
import { superuserPool } from "../support/db.ts";
import { useLiveSystem } from "../support/live.ts";
import { createSession, createUser } from "../support/factories.ts";

type Inbox = { userEvents: { event: string; interaction: { rowId: string } | null; connection: { rowId: string; chatRoom: { rowId: string } | null } | null; message: { content: string } | null; videoRequest: { rowId: string; status: string } | null } };
type Room = { roomEvents: { event: string; message: { rowId: string; content: string; isEdited: boolean; isDeleted: boolean } | null; userId: string | null; typingUntil: string | null } };

const INBOX = `subscription { userEvents { event interaction { rowId } connection { rowId chatRoom { rowId } } message { content } videoRequest { rowId status } } }`;
const ROOM = `subscription ($id: UUID!) { roomEvents(chatRoomId: $id) { event message { rowId content isEdited isDeleted } userId typingUntil } }`;

const live = useLiveSystem();

const inboxEvent = (name: string) => (e: Inbox) => e.userEvents.event === name;
const roomEvent = (name: string) => (e: Room) => e.roomEvents.event === name;

/** Ann and Bob, registered, matched by the worker, connected by Ann. */
async function connectedPair(intent: string) {
  const [ann, bob] = [await live.user("female", { intent }), await live.user("male", { intent })];
  const [annInbox, bobInbox] = await Promise.all([live.inbox<Inbox>(INBOX, ann), live.inbox<Inbox>(INBOX, bob)]);
  for (const who of [ann, bob]) await live.api.gql(`mutation { enterQueue(input: {}) { result { queuedAt } } }`, {}, who.token);
  const callId = (await annInbox.next(inboxEvent("matched"))).userEvents.interaction!.rowId;
  await live.api.gql(`mutation ($id: UUID!) { connect(input: { interactionId: $id }) { result { rowId } } }`, { id: callId }, ann.token);
  const connection = (await bobInbox.next(inboxEvent("connected"))).userEvents.connection!;
  return { ann, bob, annInbox, bobInbox, callId, connectionId: connection.rowId, roomId: connection.chatRoom!.rowId };
}

const SEND = `mutation ($room: UUID!, $content: String!) { sendMessage(input: { chatRoomId: $room, content: $content }) { result { rowId } } }`;

test("she connects, they chat both ways with receipts and typing, he asks for video, she approves, a video call is signaled", async () => {
  const { ann, bob, annInbox, bobInbox, callId: voiceCallId, connectionId, roomId } = await connectedPair("friends");
  // Room ids are compared as uuids: an upper-case one works as well.
  const [annRoom, bobRoom] = await Promise.all([live.room<Room>(ROOM, ann, roomId.toUpperCase()), live.room<Room>(ROOM, bob, roomId)]);

  // Both ways, live, plus the inbox.
  const hello = (await live.api.gql(SEND, { room: roomId, content: "Hello Ann" }, bob.token)).data!.sendMessage.result.rowId;
  expect((await annRoom.next(roomEvent("message_created"))).roomEvents.message).toMatchObject({ rowId: hello, content: "Hello Ann" });
  expect((await annInbox.next(inboxEvent("message"))).userEvents.message).toEqual({ content: "Hello Ann" });
  await live.api.gql(`mutation ($room: UUID!) { sendTyping(input: { chatRoomId: $room }) { result } }`, { room: roomId }, ann.token);
  const typing = (await bobRoom.next(roomEvent("typing"))).roomEvents;
  expect(Date.parse(typing.typingUntil!) - Date.now()).toBeGreaterThan(5_000);
  await live.api.gql(SEND, { room: roomId, content: "Hi Bob" }, ann.token);
  expect((await bobRoom.next((e) => roomEvent("message_created")(e) && e.roomEvents.message?.content === "Hi Bob")).roomEvents.message).toBeTruthy();
  // Ann's own message comes back to her room stream, her own typing does not (events arrive in order).
  await annRoom.next((e) => e.roomEvents.message?.content === "Hi Bob");
  expect(annRoom.events.filter(roomEvent("typing"))).toEqual([]);

  // Receipts and unread counts.
  const unread = async (token: string) =>
    (await live.api.gql(`query ($room: UUID!) { chatRoom(rowId: $room) { unreadCount } }`, { room: roomId }, token)).data!.chatRoom.unreadCount;
  expect([await unread(ann.token), await unread(bob.token)]).toEqual([1, 1]);
  await live.api.gql(`mutation ($room: UUID!, $id: UUID!) { markRoomRead(input: { chatRoomId: $room, upToMessageId: $id }) { result } }`, { room: roomId, id: hello }, ann.token);
  expect((await bobRoom.next(roomEvent("messages_read"))).roomEvents.message!.rowId).toBe(hello);
  expect(await unread(ann.token)).toBe(0);

  // Edit and delete reach the partner.
  await live.api.gql(`mutation ($id: UUID!) { editMessage(input: { messageId: $id, content: "Hello, Ann!" }) { result { isEdited } } }`, { id: hello }, bob.token);
  expect((await annRoom.next(roomEvent("message_edited"))).roomEvents.message).toMatchObject({ content: "Hello, Ann!", isEdited: true });
  await live.api.gql(`mutation ($id: UUID!) { deleteMessage(input: { messageId: $id }) { result { isDeleted } } }`, { id: hello }, bob.token);
  expect((await annRoom.next(roomEvent("message_deleted"))).roomEvents.message).toMatchObject({ content: "", isDeleted: true });

  // History, newest first.
  const history = await live.api.gql(
    `query ($room: UUID!) { chatRoom(rowId: $room) { messages(orderBy: [CREATED_AT_DESC, ROW_ID_DESC], first: 10) { nodes { content messageType } } } }`,
    { room: roomId },
    bob.token,
  );
  expect(history.data!.chatRoom.messages.nodes.map((m: { messageType: string }) => m.messageType)).toEqual(["text", "text", "system"]);

  // Video: he asks, she approves; refusals on the way.
  const request = await live.api.gql(`mutation ($id: UUID!) { requestVideo(input: { connectionId: $id }) { result { rowId status } } }`, { id: connectionId }, bob.token);
  const requestId = request.data!.requestVideo.result.rowId;
  expect((await annInbox.next(inboxEvent("video_request"))).userEvents.videoRequest).toMatchObject({ rowId: requestId, status: "pending" });
  expect(errorCodes(await live.api.gql(`mutation ($id: UUID!) { requestVideo(input: { connectionId: $id }) { result { rowId } } }`, { id: connectionId }, bob.token))).toEqual(["RVPND"]);
  const answer = `mutation ($id: UUID!, $approve: Boolean!) { answerVideoRequest(input: { videoRequestId: $id, approve: $approve }) { result { status } } }`;
  expect(errorCodes(await live.api.gql(answer, { id: requestId, approve: true }, bob.token))).toEqual(["RVAPR"]);
  expect((await live.api.gql(answer, { id: requestId, approve: true }, ann.token)).data).toEqual({ answerVideoRequest: { result: { status: "approved" } } });
  expect((await bobInbox.next(inboxEvent("video_request"))).userEvents.videoRequest).toMatchObject({ status: "approved" });

  const startVideo = `mutation ($id: UUID!) { startVideoCall(input: { connectionId: $id }) { result { rowId interactionType makesOffer } } }`;
  expect(errorCodes(await live.api.gql(startVideo, { id: connectionId }, bob.token))).toEqual(["RINCL"]); // the voice call is still live
  await live.api.gql(`mutation ($id: UUID!) { endCall(input: { interactionId: $id }) { result { outcome } } }`, { id: voiceCallId }, ann.token);
  const call = await live.api.gql(startVideo, { id: connectionId }, bob.token);
  expect(call.data!.startVideoCall.result).toMatchObject({ interactionType: "video_call", makesOffer: true });
  const callId = call.data!.startVideoCall.result.rowId;
  expect((await annInbox.next(inboxEvent("video_call"))).userEvents.interaction!.rowId).toBe(callId);
  await live.api.gql(`mutation ($id: UUID!) { sendCallSignal(input: { interactionId: $id, kind: offer, payload: { sdp: "video" } }) { result { rowId } } }`, { id: callId }, bob.token);
  expect((await annInbox.next(inboxEvent("call_signal"))).userEvents.interaction!.rowId).toBe(callId);
});

test("a message carried by its notification arrives as stored; one too long to carry is read as the subscriber", async () => {
  const { ann, bob, annInbox, roomId } = await connectedPair("networking");
  const sendAndRead = `mutation ($room: UUID!, $content: String!) {
    sendMessage(input: { chatRoomId: $room, content: $content }) { result { rowId content isEdited isDeleted createdAt } } }`;
  const EVENT = `subscription ($id: UUID!) { roomEvents(chatRoomId: $id) { event message { rowId content isEdited isDeleted createdAt } } }`;
  const events = await live.room<{ roomEvents: { message: { rowId: string } | null } }>(EVENT, ann, roomId);
  for (const content of ["short", "€".repeat(4000)]) {
    const stored = (await live.api.gql(sendAndRead, { room: roomId, content }, bob.token)).data!.sendMessage.result;
    expect((await events.next((e) => e.roomEvents.message?.rowId === stored.rowId)).roomEvents).toEqual({ event: "message_created", message: stored });
    expect((await annInbox.next((e) => inboxEvent("message")(e) && e.userEvents.message!.content === content)).userEvents.message).toEqual({ content });
  }
});

test("a stranger cannot read, send, edit, delete, mark read or subscribe to a room", async () => {
  const { bob, roomId } = await connectedPair("serious");
  const stranger = await live.user("female", { intent: "serious" });
  const message = (await live.api.gql(SEND, { room: roomId, content: "private" }, bob.token)).data!.sendMessage.result.rowId;

  const read = await live.api.gql(`query ($room: UUID!) { chatRoom(rowId: $room) { rowId } messages { nodes { content } } }`, { room: roomId }, stranger.token);
  expect(read.data).toEqual({ chatRoom: null, messages: { nodes: [] } });
  expect(errorCodes(await live.api.gql(SEND, { room: roomId, content: "hi" }, stranger.token))).toEqual(["RROOM"]);
  expect(errorCodes(await live.api.gql(`mutation ($id: UUID!) { editMessage(input: { messageId: $id, content: "x" }) { result { rowId } } }`, { id: message }, stranger.token))).toEqual(["RNOTM"]);
  expect(errorCodes(await live.api.gql(`mutation ($id: UUID!) { deleteMessage(input: { messageId: $id }) { result { rowId } } }`, { id: message }, stranger.token))).toEqual(["RNOTM"]);
  expect(errorCodes(await live.api.gql(`mutation ($room: UUID!, $id: UUID!) { markRoomRead(input: { chatRoomId: $room, upToMessageId: $id }) { result } }`, { room: roomId, id: message }, stranger.token))).toEqual(["RROOM"]);

  const spy = live.stream<Room>(ROOM, stranger.token, { id: roomId });
  await expect(spy.next(undefined, 5000)).rejects.toThrow(/"code":"RROOM"/);
});

test("an expired video request cannot be approved; non-admins cannot read analytics or reports of others", async () => {
  const { ann, bob, connectionId } = await connectedPair("casual");
  const requestId = (await live.api.gql(`mutation ($id: UUID!) { requestVideo(input: { connectionId: $id }) { result { rowId } } }`, { id: connectionId }, bob.token)).data!.requestVideo.result.rowId;
  await superuserPool().query("update interaction_schema.video_requests set expires_at = now() - interval '1 second' where id = $1", [requestId]);
  const answer = await live.api.gql(`mutation ($id: UUID!) { answerVideoRequest(input: { videoRequestId: $id, approve: true }) { result { status } } }`, { id: requestId }, ann.token);
  expect(errorCodes(answer)).toEqual(["RVEXP"]);

  await live.api.gql(`mutation ($id: UUID!) { reportUser(input: { userId: $id, reason: "spam" }) { result { rowId } } }`, {
    id: (await superuserPool().query("select id from user_schema.users where username = $1", [bob.username])).rows[0].id,
  }, ann.token);
  expect((await live.api.gql(`{ reports { totalCount } }`, {}, bob.token)).data).toEqual({ reports: { totalCount: 0 } });
  expect((await live.api.gql(`{ reports { totalCount } }`, {}, ann.token)).data).toEqual({ reports: { totalCount: 1 } });
  expect(errorCodes(await live.api.gql(`{ events { totalCount } }`, {}, ann.token))).toEqual(["RDENY"]);
  expect(errorCodes(await live.api.gql(`{ dailyStats { totalCount } }`, {}))).toEqual(["RAUTH"]);

  const admin = await createUser(superuserPool(), "admin");
  const adminToken = await createSession(superuserPool(), admin);
  const adminView = await live.api.gql(`{ reports { nodes { reason status } } events(first: 1) { totalCount } }`, {}, adminToken);
  expect(adminView.errors).toBeUndefined();
  expect(adminView.data!.reports.nodes).toContainEqual({ reason: "spam", status: "open" });
  expect(adminView.data!.events.totalCount).toBeGreaterThan(0);
  await superuserPool().query("delete from user_schema.users where id = $1", [admin.id]);
});
