/** Log in, or register (which logs in). */
import type { App, Screen } from "../app.ts";
import { request } from "../graphql.ts";
import { LOGIN, REGISTER } from "../documents.ts";
import { field, fill, formValues, h, select } from "../dom.ts";
import { INTENTS } from "./profile.ts";

export function authScreen(app: App): Screen {
  const body = h("div");
  const element = h("section", { class: "card narrow", "data-screen": "auth" }, body);

  const logIn = () => {
    const form = h(
      "form",
      {
        onsubmit: (event) => {
          event.preventDefault();
          const values = formValues(form);
          void app.attempt(async () => {
            const { login } = await request<{ login: { result: string | null } }>(LOGIN, { usernameOrEmail: values.usernameOrEmail, password: values.password });
            if (login.result) await app.loggedIn(login.result);
          });
        },
      },
      h("h2", {}, "Log in"),
      field("Username or email", h("input", { name: "usernameOrEmail", required: true, autocomplete: "username" })),
      field("Password", h("input", { name: "password", type: "password", required: true, autocomplete: "current-password" })),
      h("button", { type: "submit" }, "Log in"),
      h("p", { class: "hint" }, "New here? ", h("a", { href: "#", onclick: (event) => (event.preventDefault(), register()) }, "Create an account")),
    );
    fill(body, form);
  };

  const register = () => {
    const form = h(
      "form",
      {
        onsubmit: (event) => {
          event.preventDefault();
          const values = formValues(form);
          void app.attempt(async () => {
            const input = { ...values, age: Number(values.age) };
            const { register } = await request<{ register: { result: string } }>(REGISTER, { input });
            await app.loggedIn(register.result);
          });
        },
      },
      h("h2", {}, "Create an account"),
      field("Username", h("input", { name: "username", required: true, autocomplete: "username", minlength: 3, maxlength: 50 })),
      field("Email", h("input", { name: "email", type: "email", required: true, autocomplete: "email" })),
      field("Password (10 characters or more)", h("input", { name: "password", type: "password", required: true, minlength: 10, autocomplete: "new-password" })),
      field("I am", select("role", ["female", "male"])),
      field("Display name", h("input", { name: "displayName", required: true, maxlength: 100 })),
      field("Age", h("input", { name: "age", type: "number", min: 18, max: 100, required: true })),
      field("Looking for", select("intent", INTENTS)),
      h("button", { type: "submit" }, "Register"),
      h("p", { class: "hint" }, "Have an account? ", h("a", { href: "#", onclick: (event) => (event.preventDefault(), logIn()) }, "Log in")),
    );
    fill(body, form);
  };

  logIn();
  return { element };
}
