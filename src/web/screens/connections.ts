/** The connections: partner, presence, kind, unread messages; a click opens the chat. */
import type { App, Screen } from "../app.ts";
import { profileLine, fill, h } from "../dom.ts";

export function connectionsScreen(app: App): Screen {
  const list = h("ul", { class: "connections" });
  const element = h("section", { class: "card", "data-screen": "connections" }, h("h2", {}, "Connections"), list);

  const load = () =>
    app.attempt(async () => {
      const rows = await app.connections();
      if (rows.length === 0) {
        fill(list, h("li", { class: "empty" }, app.isFemale ? "No connections yet. Connect with someone after a call." : "No connections yet. She decides after a call."));
        return;
      }
      fill(
        list,
        ...rows.map(({ connection, partner }) => {
          const unread = connection.chatRoom?.unreadCount ?? 0;
          return h(
            "li",
            {},
            h(
              "button",
              { type: "button", class: "row-button", onclick: () => app.openChat(connection.rowId) },
              h("span", { class: `presence ${partner?.presence ?? "offline"}`, title: partner?.presence ?? "offline" }),
              h("span", { class: "name" }, profileLine(partner ?? null)),
              h("span", { class: "tag" }, connection.connectionType === "video_enabled" ? "video" : "chat"),
              unread > 0 ? h("span", { class: "badge", "aria-label": `${unread} unread` }, String(unread)) : null,
            ),
          );
        }),
      );
    });

  void load();
  return {
    element,
    onEvent(event) {
      if (["message", "connected", "unmatched", "presence", "video_request"].includes(event.event)) void load();
    },
  };
}
