/** Block and report, from a call or a chat: two buttons and a small dialog each. */
import type { App } from "../app.ts";
import { request } from "../graphql.ts";
import { BLOCK_USER, REPORT_USER } from "../documents.ts";
import { field, h } from "../dom.ts";

export interface Subject {
  userId: string;
  name: string;
  /** The call this happens in (a report points at it). */
  interactionId?: string;
}

function dialog(...children: Node[]): HTMLDialogElement {
  const element = h("dialog", { class: "card" }, ...children);
  document.body.append(element);
  element.addEventListener("close", () => element.remove());
  element.showModal();
  return element;
}

export function moderationButtons(app: App, subject: () => Subject, afterBlock: () => void): HTMLElement {
  const block = () => {
    const { userId, name } = subject();
    const box: HTMLDialogElement = dialog(
      h("p", {}, `Block ${name}? You will never be matched again, and any connection and chat between you ends.`),
      h(
        "div",
        { class: "actions" },
        h("button", { type: "button", class: "danger", onclick: () => void app.attempt(async () => (box.close(), await request(BLOCK_USER, { userId }), afterBlock())) }, "Block"),
        h("button", { type: "button", class: "quiet", onclick: () => box.close() }, "Cancel"),
      ),
    );
  };
  const report = () => {
    const { userId, name, interactionId } = subject();
    const form = app.form(
      async ({ reason }) => {
        box.close();
        await request(REPORT_USER, { userId, reason, interactionId: interactionId ?? null, messageId: null });
        app.tell(`Thank you: ${name} was reported.`);
      },
      h("h3", {}, `Report ${name}`),
      field("What happened?", h("textarea", { name: "reason", required: true, maxlength: 1000, rows: 4 })),
      h("div", { class: "actions" }, h("button", { type: "submit", class: "danger" }, "Send report"), h("button", { type: "button", class: "quiet", onclick: () => box.close() }, "Cancel")),
    );
    const box = dialog(form);
  };
  return h(
    "div",
    { class: "moderation" },
    h("button", { type: "button", class: "quiet", onclick: block }, "Block"),
    h("button", { type: "button", class: "quiet", onclick: report }, "Report"),
  );
}
