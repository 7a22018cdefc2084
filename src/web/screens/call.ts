/**
 * The voice call with a stranger: the partner's public profile, the
 * microphone, mute, end, pass; the decision window's timer; "Connect" for
 * her, "waiting for her decision" for him. Once she connects, the call ends
 * and both go to their new chat.
 */
import type { App, Screen } from "../app.ts";
import { request } from "../graphql.ts";
import { CONNECT, SKIP_CALL, type Call, type Connection, type UserEvent } from "../documents.ts";
import { clock, profileLine, everySecond, fill, h } from "../dom.ts";
import { endCall, type PeerCall } from "../peer.ts";
import { moderationButtons } from "./moderation.ts";

/** How long after a call she can still connect (the database's decision window). */
const DECISION_WINDOW_SECONDS = 10 * 60;


export function callScreen(app: App, matched: UserEvent): Screen {
  const call: Call = matched.interaction!;
  const partner = call.partnerProfile;
  const name = partner?.displayName ?? "your match";
  const startedAt = Date.now();
  let endedAt: number | null = null;
  let peer: PeerCall | null = null;
  let muted = false;

  const state = h("p", { class: "state" }, "Connecting…");
  const timer = h("p", { class: "timer" });
  const decision = h("div", { class: "decision" });
  const audio = h("audio", { autoplay: true });
  const muteButton = h("button", { type: "button", onclick: () => ((muted = !muted), peer?.setMuted(muted), (muteButton.textContent = muted ? "Unmute" : "Mute")) }, "Mute");
  const controls = h(
    "div",
    { class: "actions" },
    muteButton,
    h("button", { type: "button", class: "danger", onclick: () => void app.attempt(() => endCall(call.rowId)) }, "End call"),
    h("button", { type: "button", class: "quiet", onclick: () => void app.attempt(() => request(SKIP_CALL, { id: call.rowId })) }, "Pass"),
  );

  const goToChat = (connection: Connection) => {
    app.endPeer();
    app.openChat(connection.rowId);
  };

  if (app.isFemale) {
    fill(
      decision,
      h(
        "button",
        {
          type: "button",
          class: "big",
          onclick: () =>
            void app.attempt(async () => {
              const { connect } = await request<{ connect: { result: Connection } }>(CONNECT, { id: call.rowId });
              await endCall(call.rowId);
              goToChat(connect.result);
            }),
        },
        "Connect",
      ),
      h("p", { class: "hint" }, `Only you decide: connect now or within ${DECISION_WINDOW_SECONDS / 60} minutes after the call, and you two can chat.`),
    );
  } else {
    fill(decision, h("p", { class: "waiting pulse" }, `Waiting for her decision: ${name} can connect during the call or up to ${DECISION_WINDOW_SECONDS / 60} minutes after it.`));
  }

  const stopTimer = everySecond(() => {
    timer.textContent =
      endedAt === null
        ? `On the call ${clock((Date.now() - startedAt) / 1000)}`
        : `Call ended. ${clock(DECISION_WINDOW_SECONDS - (Date.now() - endedAt) / 1000)} left to decide.`;
    if (endedAt !== null && Date.now() - endedAt > DECISION_WINDOW_SECONDS * 1000) fill(decision, h("p", {}, "The decision window has passed."));
  });

  const ended = (reason: string) => {
    if (endedAt !== null) return;
    endedAt = Date.now();
    app.endPeer();
    state.textContent = reason;
    fill(controls, h("button", { type: "button", onclick: () => app.go("start") }, "Back to Start"));
  };

  const element = h(
    "section",
    { class: "card call", "data-screen": "call" },
    h("p", { class: "eyebrow" }, "Voice call with"),
    h("h2", { class: "partner" }, profileLine(partner)),
    partner?.intent ? h("p", { class: "tag" }, partner.intent) : null,
    partner?.shortBio ? h("p", { class: "bio" }, partner.shortBio) : null,
    state,
    timer,
    audio,
    controls,
    decision,
    moderationButtons(app, () => ({ userId: app.partnerOf(call), name, interactionId: call.rowId }), () => app.go("start")),
  );

  void app.attempt(async () => {
    peer = await app.startPeer(call, false, `Talking with ${name}`, (text) => endedAt === null && (state.textContent = text));
    audio.srcObject = peer.remoteStream;
  });

  return {
    element,
    onEvent(event) {
      if (event.interaction?.rowId === call.rowId && event.event === "call_ended") ended("The call has ended.");
      if (event.event === "connected" && event.connection && app.partnerOf(event.connection) === app.partnerOf(call)) goToChat(event.connection);
      if (event.event === "unmatched" && event.connection && app.partnerOf(event.connection) === app.partnerOf(call)) ended("The call has ended.");
    },
    dispose() {
      stopTimer();
      if (endedAt === null) void endCall(call.rowId).catch(() => {});
    },
  };
}
