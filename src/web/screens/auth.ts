/** Log in, register (which logs in), or ask for a password reset link. */
import type { App, Screen } from "../app.ts";
import { request } from "../graphql.ts";
import { LOGIN, REGISTER, REQUEST_PASSWORD_RESET } from "../documents.ts";
import { field, fill, h, select } from "../dom.ts";
import { INTENTS } from "./profile.ts";

export function authScreen(app: App): Screen {
  const body = h("div");
  const element = h("section", { class: "card narrow", "data-screen": "auth" }, body);
  const link = (label: string, open: () => void) => h("a", { href: "#", onclick: (event) => (event.preventDefault(), open()) }, label);

  const logIn = () =>
    fill(
      body,
      app.form(
        async (values) => {
          const { login } = await request<{ login: { result: string | null } }>(LOGIN, { usernameOrEmail: values.usernameOrEmail, password: values.password });
          if (login.result) await app.loggedIn(login.result);
        },
        h("h2", {}, "Log in"),
        field("Username or email", h("input", { name: "usernameOrEmail", required: true, autocomplete: "username" })),
        field("Password", h("input", { name: "password", type: "password", required: true, autocomplete: "current-password" })),
        // An email logs in once it is confirmed (an unconfirmed address may belong to several accounts).
        h("p", { class: "hint" }, "Until you confirm your email, log in with your username."),
        h("button", { type: "submit" }, "Log in"),
        h("p", { class: "hint" }, "New here? ", link("Create an account", register)),
        h("p", { class: "hint" }, link("Forgot your password?", forgotPassword)),
      ),
    );

  const register = () =>
    fill(
      body,
      app.form(
        async (values) => {
          const input = { ...values, age: Number(values.age) };
          const { register } = await request<{ register: { result: string } }>(REGISTER, { input });
          await app.loggedIn(register.result);
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
        h("p", { class: "hint" }, "Have an account? ", link("Log in", logIn)),
      ),
    );

  // The API answers the same whether or not the address has an account, and so does this page.
  const forgotPassword = () =>
    fill(
      body,
      app.form(
        async (values) => {
          await request(REQUEST_PASSWORD_RESET, { email: values.email });
          fill(body, h("h2", {}, "Check your mail"), h("p", {}, `If ${values.email} belongs to an account, a link to choose a new password is on its way (valid for 1 hour).`), h("p", { class: "hint" }, link("Log in", logIn)));
        },
        h("h2", {}, "Forgot your password?"),
        field("Email", h("input", { name: "email", type: "email", required: true, autocomplete: "email" })),
        h("button", { type: "submit" }, "Mail me a link"),
        h("p", { class: "hint" }, link("Log in", logIn)),
      ),
    );

  logIn();
  return { element };
}
