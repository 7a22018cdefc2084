/** Video calls between connected users: the incoming call (accept or decline) and the call itself. */
import type { App, Screen } from "../app.ts";
import type { Call, UserEvent } from "../documents.ts";
import { profileLine, h } from "../dom.ts";
import { endCall, type PeerCall } from "../peer.ts";

/** The connection with the partner of a call (to go back to the chat afterwards). */
async function connectionOf(app: App, call: Call): Promise<string | undefined> {
  const partnerId = app.partnerOf(call);
  return (await app.connections()).find(({ connection }) => app.partnerOf(connection) === partnerId)?.connection.rowId;
}

export function incomingVideoScreen(app: App, event: UserEvent): Screen {
  const call = event.interaction!;
  const element = h(
    "section",
    { class: "card narrow incoming", "data-screen": "incoming-video" },
    h("p", { class: "eyebrow" }, "Incoming video call"),
    h("h2", { class: "partner pulse" }, profileLine(call.partnerProfile)),
    h(
      "div",
      { class: "actions" },
      h("button", { type: "button", class: "big", onclick: () => void app.attempt(async () => app.show(videoScreen(app, call, await connectionOf(app, call)))) }, "Accept"),
      h("button", { type: "button", class: "danger", onclick: () => void app.attempt(async () => (await endCall(call.rowId), app.go("connections"))) }, "Decline"),
    ),
  );
  return {
    element,
    onEvent(update) {
      if (update.event === "call_ended" && update.interaction?.rowId === call.rowId) app.go("connections");
    },
  };
}

export function videoScreen(app: App, call: Call, connectionId: string | undefined): Screen {
  const name = call.partnerProfile?.displayName ?? "your match";
  const remote = h("video", { class: "remote", autoplay: true, playsinline: true });
  const local = h("video", { class: "local", autoplay: true, playsinline: true, muted: true });
  local.muted = true;
  const state = h("p", { class: "state" }, "Connecting…");
  let peer: PeerCall | null = null;
  let muted = false;
  let cameraOff = false;
  let ended = false;

  const leave = () => {
    if (ended) return;
    ended = true;
    app.endPeer();
    if (connectionId) app.openChat(connectionId);
    else app.go("connections");
  };

  const muteButton = h("button", { type: "button", onclick: () => ((muted = !muted), peer?.setMuted(muted), (muteButton.textContent = muted ? "Unmute" : "Mute")) }, "Mute");
  const cameraButton = h(
    "button",
    { type: "button", onclick: () => ((cameraOff = !cameraOff), peer?.setCameraOff(cameraOff), (cameraButton.textContent = cameraOff ? "Camera on" : "Camera off")) },
    "Camera off",
  );
  const element = h(
    "section",
    { class: "card video", "data-screen": "video" },
    h("p", { class: "eyebrow" }, "Video call with"),
    h("h2", { class: "partner" }, profileLine(call.partnerProfile)),
    h("div", { class: "stage" }, remote, local),
    state,
    h("div", { class: "actions" }, muteButton, cameraButton, h("button", { type: "button", class: "danger", onclick: () => void app.attempt(async () => (await endCall(call.rowId), leave())) }, "End call")),
  );

  void app.attempt(async () => {
    peer = await app.startPeer(call, true, `On video with ${name}`, (text) => (state.textContent = text));
    local.srcObject = peer.local;
    remote.srcObject = peer.remoteStream;
  });

  return {
    element,
    onEvent(event) {
      if (event.event === "call_ended" && event.interaction?.rowId === call.rowId) leave();
    },
    dispose() {
      if (!ended) {
        ended = true;
        void endCall(call.rowId).catch(() => {});
      }
    },
  };
}
