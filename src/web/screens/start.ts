/** Start: enter the queue, wait (with the time waited), or leave. A match opens the call (the shell handles it). */
import type { App, Screen } from "../app.ts";
import { request } from "../graphql.ts";
import { ENTER_QUEUE, LEAVE_QUEUE } from "../documents.ts";
import { clock, everySecond, fill, h } from "../dom.ts";

export function startScreen(app: App): Screen {
  const body = h("div", { class: "start" });
  const element = h("section", { class: "card narrow", "data-screen": "start" }, body);
  let stopTimer: (() => void) | null = null;
  let queued = false;

  const idle = () => {
    stopTimer?.();
    queued = false;
    fill(
      body,
      h("h2", {}, `Hi ${app.me!.profile?.displayName ?? app.me!.username}`),
      h("p", {}, "Press Start to be matched with someone for a voice call."),
      h("button", { type: "button", class: "big", onclick: () => void app.attempt(enter) }, "Start"),
    );
  };

  const enter = async () => {
    await app.beat();
    await request(ENTER_QUEUE);
    queued = true;
    const since = Date.now();
    const waited = h("strong", { class: "waited" });
    fill(
      body,
      h("h2", {}, "Looking for someone…"),
      h("p", { class: "pulse" }, "Waiting ", waited),
      h("button", { type: "button", class: "quiet", onclick: () => void app.attempt(leave) }, "Leave the queue"),
    );
    stopTimer = everySecond(() => (waited.textContent = clock((Date.now() - since) / 1000)));
  };

  const leave = async () => {
    await request(LEAVE_QUEUE);
    idle();
  };

  idle();
  return {
    element,
    onEvent(event) {
      // A match takes this user out of the queue.
      if (event.event === "matched") queued = false;
    },
    dispose() {
      stopTimer?.();
      if (queued) void request(LEAVE_QUEUE).catch(() => {});
    },
  };
}
