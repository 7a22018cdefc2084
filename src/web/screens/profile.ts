/** One's own profile: display name, age, intent, city and country, the age range one wants to meet. */
import type { App, Screen } from "../app.ts";
import { request } from "../graphql.ts";
import { CHANGE_PASSWORD, CURRENT_USER, DELETE_ACCOUNT, LOGOUT_EVERYWHERE, RESEND_EMAIL_VERIFICATION, UPDATE_PROFILE, type CurrentUser } from "../documents.ts";
import { field, h, select } from "../dom.ts";

export const INTENTS = ["casual", "friends", "serious", "networking"];

const optionalNumber = (value: string | undefined) => (value ? Number(value) : undefined);

export function profileScreen(app: App): Screen {
  const profile = app.me!.profile!;
  const preferences = profile.preferences ?? {};
  const form = app.form(
    async (values) => {
      const { age_min: _min, age_max: _max, ...otherPreferences } = preferences;
      const range = { age_min: optionalNumber(values.ageMin), age_max: optionalNumber(values.ageMax) };
      await request(UPDATE_PROFILE, {
        rowId: profile.rowId,
        patch: {
          displayName: values.displayName,
          age: Number(values.age),
          intent: values.intent,
          locationCity: values.locationCity || null,
          locationCountry: values.locationCountry || null,
          preferences: { ...otherPreferences, ...Object.fromEntries(Object.entries(range).filter(([, value]) => value !== undefined)) },
        },
      });
      app.me = (await request<{ currentUser: CurrentUser }>(CURRENT_USER)).currentUser;
      app.go("start");
    },
    h("h2", {}, "Your profile"),
    field("Display name", h("input", { name: "displayName", required: true, maxlength: 100, value: profile.displayName })),
    field("Age", h("input", { name: "age", type: "number", min: 18, max: 100, required: true, value: profile.age ?? "" })),
    field("Looking for", select("intent", INTENTS, profile.intent)),
    h(
      "div",
      { class: "row" },
      field("City", h("input", { name: "locationCity", value: profile.locationCity ?? "" })),
      field("Country", h("input", { name: "locationCountry", value: profile.locationCountry ?? "", placeholder: "PT" })),
    ),
    h(
      "fieldset",
      {},
      h("legend", {}, "Meet people aged"),
      h(
        "div",
        { class: "row" },
        field("from", h("input", { name: "ageMin", type: "number", min: 18, max: 100, value: preferences.age_min ?? "" })),
        field("to", h("input", { name: "ageMax", type: "number", min: 18, max: 100, value: preferences.age_max ?? "" })),
      ),
    ),
    h("button", { type: "submit" }, "Save"),
  );
  const unconfirmed =
    !app.me!.emailVerified &&
    h(
      "p",
      { class: "hint" },
      "Your email is not confirmed yet: open the link we mailed you. ",
      h("button", { type: "button", class: "quiet", onclick: () => void app.attempt(async () => (await request(RESEND_EMAIL_VERIFICATION), app.tell("A new link is on its way."))) }, "Mail me a new link"),
    );
  const account = h(
    "div",
    {},
    app.form(
      async ({ currentPassword, newPassword }) => {
        await request(CHANGE_PASSWORD, { currentPassword, newPassword });
        app.go("profile");
        app.tell("Your password is changed; your other devices were logged out.");
      },
      h("h3", {}, "Change password"),
      field("Current password", h("input", { name: "currentPassword", type: "password", required: true, autocomplete: "current-password" })),
      field("New password (10 characters or more)", h("input", { name: "newPassword", type: "password", required: true, minlength: 10, autocomplete: "new-password" })),
      h("button", { type: "submit" }, "Change password"),
    ),
    h("button", { type: "button", class: "quiet", onclick: () => void app.attempt(() => app.logOut(LOGOUT_EVERYWHERE)) }, "Log out on every device"),
    app.form(
      ({ password }) => app.logOut(DELETE_ACCOUNT, { password }, "Your account is deleted."),
      h("h3", {}, "Delete account"),
      h("p", { class: "hint" }, "Your profile, calls, connections and chats are removed for good."),
      field("Password to confirm", h("input", { name: "password", type: "password", required: true, autocomplete: "current-password" })),
      h("button", { type: "submit", class: "danger" }, "Delete my account"),
    ),
  );
  return { element: h("section", { class: "card narrow", "data-screen": "profile" }, form, unconfirmed, account) };
}
