/**
 * A chat room: live messages, edit (within the window) and delete of one's
 * own, the typing indicator, read receipts, older history on demand; and the
 * video story: he asks, she approves or declines, then either starts a video call.
 */
import type { App, Screen } from "../app.ts";
import { request, subscribe } from "../graphql.ts";
import {
  ANSWER_VIDEO_REQUEST,
  CONNECTION,
  DELETE_MESSAGE,
  EDIT_MESSAGE,
  MARK_ROOM_READ,
  MESSAGES,
  PUBLIC_PROFILE,
  REQUEST_VIDEO,
  ROOM_EVENTS,
  SEND_MESSAGE,
  SEND_TYPING,
  START_VIDEO_CALL,
  type Call,
  type Connection,
  type Message,
  type PublicProfile,
  type RoomEvent,
  type VideoRequest,
} from "../documents.ts";
import { profileLine, fill, h, timeOf } from "../dom.ts";
import { moderationButtons } from "./moderation.ts";
import { videoScreen } from "./video.ts";

/** How long one's own message can be edited (the database's rule). */
const EDIT_WINDOW_MS = 15 * 60 * 1000;
/** Send "typing" at most this often while the user types. */
const TYPING_EVERY_MS = 3000;

type ConnectionWithRequests = Connection & { videoRequests: { nodes: VideoRequest[] } };

export function chatScreen(app: App, connectionId: string): Screen {
  const me = app.me!.rowId;
  let connection: ConnectionWithRequests | null = null;
  let partner: PublicProfile | null = null;
  let roomId: string | null = null;
  let olderCursor: string | null = null;
  let partnerReadUpTo = "";
  let readUpTo = "";
  let lastTypingSent = 0;
  let typingTimer: ReturnType<typeof setTimeout> | undefined;
  let stopRoom: (() => void) | null = null;
  const messages = new Map<string, Message>();

  const title = h("h2", { class: "partner" }, "Chat");
  const presence = h("span", { class: "presence offline" });
  const videoBox = h("div", { class: "video-box" });
  const older = h("button", { type: "button", class: "quiet older", hidden: true, onclick: () => void app.attempt(loadOlder) }, "Load earlier messages");
  const list = h("ol", { class: "messages" });
  const scroller = h("div", { class: "scroller" }, older, list);
  const typing = h("p", { class: "typing", hidden: true });
  const input = h("input", { name: "content", placeholder: "Write a message", autocomplete: "off", maxlength: 4000, "aria-label": "Message" });
  // Disabled until the room is loaded and its stream opened.
  const composer = h("fieldset", { class: "composer", disabled: true }, input, h("button", { type: "submit" }, "Send"));
  const composerForm = h("form", { onsubmit: (event) => (event.preventDefault(), void app.attempt(send)) }, composer);
  const partnerName = () => partner?.displayName ?? "your match";

  const element = h(
    "section",
    { class: "card chat", "data-screen": "chat" },
    h(
      "div",
      { class: "chat-head" },
      h("div", {}, h("div", { class: "title-line" }, presence, title)),
      moderationButtons(app, () => ({ userId: connection ? app.partnerOf(connection) : "", name: partnerName() }), () => app.go("connections")),
    ),
    videoBox,
    scroller,
    typing,
    composerForm,
  );

  const isRead = (message: Message) =>
    message.messageReadStatuses?.nodes.some((status) => status.userId !== me) || (partnerReadUpTo !== "" && message.createdAt <= partnerReadUpTo);

  const renderMessage = (message: Message): HTMLElement => {
    const mine = message.senderUserId === me;
    const item = h("li", { class: `message ${mine ? "mine" : "theirs"} ${message.messageType === "system" ? "system" : ""}`, "data-id": message.rowId });
    const body = h("p", { class: "content" }, message.isDeleted ? h("em", {}, "Message deleted") : message.content);
    const meta = h("p", { class: "meta" }, timeOf(message.createdAt), message.isEdited && !message.isDeleted ? " · edited" : "");
    if (mine && message.messageType !== "system") meta.append(h("span", { class: "receipt" }, isRead(message) ? " · Read" : " · Sent"));
    const actions = h("span", { class: "message-actions" });
    if (mine && !message.isDeleted && message.messageType === "text") {
      if (Date.now() - Date.parse(message.createdAt) < EDIT_WINDOW_MS) actions.append(h("button", { type: "button", class: "link", onclick: () => edit(message, item) }, "Edit"));
      actions.append(
        h("button", { type: "button", class: "link", onclick: () => void app.attempt(async () => upsert((await request<{ deleteMessage: { result: Message } }>(DELETE_MESSAGE, { id: message.rowId })).deleteMessage.result)) }, "Delete"),
      );
    }
    fill(item, body, h("div", { class: "meta-line" }, meta, actions));
    return item;
  };

  const edit = (message: Message, item: HTMLElement) => {
    const field = h("input", { value: message.content, "aria-label": "Edit message", maxlength: 4000 });
    const form = h(
      "form",
      {
        class: "edit",
        onsubmit: (event) => {
          event.preventDefault();
          void app.attempt(async () => upsert((await request<{ editMessage: { result: Message } }>(EDIT_MESSAGE, { id: message.rowId, content: field.value.trim() })).editMessage.result));
        },
      },
      field,
      h("button", { type: "submit" }, "Save"),
      h("button", { type: "button", class: "quiet", onclick: () => item.replaceWith(renderMessage(message)) }, "Cancel"),
    );
    fill(item, form);
    field.focus();
  };

  /** Adds or replaces a message (keeping the read receipts a live event does not carry), in time order; says whether it was new. */
  const place = (update: Message): boolean => {
    const known = messages.get(update.rowId);
    const message: Message = { ...known, ...update, messageReadStatuses: update.messageReadStatuses ?? known?.messageReadStatuses };
    messages.set(message.rowId, message);
    const rendered = renderMessage(message);
    const existing = list.querySelector(`[data-id="${message.rowId}"]`);
    if (existing) existing.replaceWith(rendered);
    else {
      const next = [...list.children].find((child) => (messages.get((child as HTMLElement).dataset.id!)?.createdAt ?? "") > message.createdAt);
      list.insertBefore(rendered, next ?? null);
    }
    if (message.senderUserId !== me && message.messageType !== "system" && message.createdAt > readUpTo) markRead(message);
    return known === undefined;
  };

  /** A message that arrived live (or was just sent): placed, scrolled to, and read if it is the partner's. */
  const upsert = (message: Message) => {
    const atBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 40;
    const isNew = place(message);
    if (isNew && (atBottom || message.senderUserId === me)) scroller.scrollTop = scroller.scrollHeight;
  };

  /** Marks the partner's messages read up to this one (the newest seen so far). */
  const markRead = (message: Message) => {
    readUpTo = message.createdAt;
    if (roomId) void request(MARK_ROOM_READ, { chatRoomId: roomId, upTo: message.rowId }).then(() => app.refreshUnread()).catch((error) => app.tell(error));
  };

  const rerenderOwn = () => {
    for (const message of messages.values()) if (message.senderUserId === me) list.querySelector(`[data-id="${message.rowId}"]`)?.replaceWith(renderMessage(message));
  };

  const fetchPage = async (after: string | null) => {
    const { chatRoom } = await request<{ chatRoom: { messages: { nodes: Message[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } | null }>(MESSAGES, {
      chatRoomId: roomId,
      after,
    });
    return chatRoom?.messages ?? { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } };
  };

  /** The next page of history (the newest at first), older each time. */
  const loadPage = async () => {
    const page = await fetchPage(olderCursor);
    olderCursor = page.pageInfo.endCursor;
    older.hidden = !page.pageInfo.hasNextPage;
    return page.nodes;
  };

  /** The newest page again, after the room's stream was interrupted and listens again. */
  const resync = async () => {
    const page = await fetchPage(null);
    for (const message of page.nodes) {
      const shown = messages.get(message.rowId);
      if (!shown || JSON.stringify(shown) !== JSON.stringify(message)) place(message);
    }
  };

  const loadOlder = async () => {
    const heightBefore = scroller.scrollHeight;
    for (const message of await loadPage()) place(message);
    scroller.scrollTop = scroller.scrollHeight - heightBefore;
  };

  const send = async () => {
    const content = input.value.trim();
    if (!content || !roomId) return;
    const { sendMessage } = await request<{ sendMessage: { result: Message } }>(SEND_MESSAGE, { chatRoomId: roomId, content });
    input.value = "";
    upsert(sendMessage.result);
  };

  input.addEventListener("input", () => {
    if (!roomId || Date.now() - lastTypingSent < TYPING_EVERY_MS) return;
    lastTypingSent = Date.now();
    void request(SEND_TYPING, { chatRoomId: roomId }).catch((error) => app.tell(error));
  });
  scroller.addEventListener("scroll", () => {
    if (scroller.scrollTop === 0 && !older.hidden) void app.attempt(loadOlder);
  });

  const showTyping = (until: string) => {
    clearTimeout(typingTimer);
    typing.textContent = `${partnerName()} is typing…`;
    typing.hidden = false;
    typingTimer = setTimeout(() => (typing.hidden = true), Math.max(0, Date.parse(until) - Date.now()));
  };

  const onRoomEvent = ({ roomEvents: event }: { roomEvents: RoomEvent }) => {
    if (event.event === "typing" && event.userId !== me && event.typingUntil) showTyping(event.typingUntil);
    else if (event.event === "messages_read" && event.userId !== me && event.message) {
      if (event.message.createdAt > partnerReadUpTo) partnerReadUpTo = event.message.createdAt;
      rerenderOwn();
    } else if (event.message) {
      if (event.message.senderUserId !== me) typing.hidden = true;
      upsert(event.message);
    }
  };

  const renderVideoBox = () => {
    if (!connection) return;
    const pending = connection.videoRequests.nodes.find((candidate) => candidate.status === "pending");
    const items: Node[] = [];
    if (connection.connectionType === "video_enabled") {
      items.push(h("button", { type: "button", onclick: () => void app.attempt(startVideo) }, "Video call"));
    } else if (!app.isFemale) {
      items.push(
        pending
          ? h("p", { class: "hint" }, `You asked for video. Waiting for ${partnerName()} to answer.`)
          : h("button", { type: "button", onclick: () => void app.attempt(async () => (await request(REQUEST_VIDEO, { connectionId }), await loadConnection())) }, "Ask for video"),
      );
    } else if (pending) {
      const answer = (approve: boolean) => app.attempt(async () => (await request(ANSWER_VIDEO_REQUEST, { id: pending.rowId, approve }), await loadConnection()));
      items.push(
        h("p", {}, `${partnerName()} asks for video.`),
        h("button", { type: "button", onclick: () => void answer(true) }, "Approve video"),
        h("button", { type: "button", class: "quiet", onclick: () => void answer(false) }, "Decline"),
      );
    }
    fill(videoBox, ...items);
  };

  const startVideo = async () => {
    const { startVideoCall } = await request<{ startVideoCall: { result: Call } }>(START_VIDEO_CALL, { connectionId });
    app.show(videoScreen(app, startVideoCall.result, connectionId));
  };

  const loadConnection = async () => {
    const data = await request<{ connection: ConnectionWithRequests | null }>(CONNECTION, { id: connectionId });
    if (!data.connection?.isActive) {
      app.go("connections");
      app.tell("This connection has ended.");
      return;
    }
    connection = data.connection;
    renderVideoBox();
  };

  void app.attempt(async () => {
    await loadConnection();
    if (!connection?.chatRoom) return;
    roomId = connection.chatRoom.rowId;
    const { publicProfile } = await request<{ publicProfile: PublicProfile | null }>(PUBLIC_PROFILE, { userId: app.partnerOf(connection) });
    partner = publicProfile;
    title.textContent = profileLine(partner);
    presence.className = `presence ${partner?.presence ?? "offline"}`;
    renderVideoBox();
    // History is read once the stream listens: nothing sent from then on is missed.
    let live = false;
    stopRoom = subscribe(ROOM_EVENTS, { chatRoomId: roomId }, onRoomEvent, (error) => app.tell(error), () => {
      if (live) return void resync().catch((error) => app.tell(error));
      live = true;
      void app.attempt(async () => {
        for (const message of await loadPage()) place(message);
        scroller.scrollTop = scroller.scrollHeight;
        composer.disabled = false;
        input.focus();
      });
    }).stop;
  });

  return {
    element,
    onEvent(event) {
      if (event.event === "video_request" && event.videoRequest?.connectionId === connectionId) void app.attempt(loadConnection);
      if (event.event === "unmatched" && event.connection?.rowId === connectionId) void app.attempt(loadConnection);
      if (event.event === "presence" && partner && event.profile?.userId === partner.userId) presence.className = `presence ${event.profile.presence ?? "offline"}`;
    },
    dispose() {
      stopRoom?.();
      clearTimeout(typingTimer);
    },
  };
}
