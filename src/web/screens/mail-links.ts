/** The pages of the mail links: verify the email at once; choose a new password with a form. */
import type { App, Screen } from "../app.ts";
import { request, setToken } from "../graphql.ts";
import { RESET_PASSWORD, VERIFY_EMAIL } from "../documents.ts";
import { field, fill, h } from "../dom.ts";
import type { MailLink } from "../mail-links.ts";

/** Leaves the link's page (and its token) for the app at /. */
const onward = (label: string) => h("p", { class: "hint" }, h("a", { href: "/", onclick: () => history.replaceState(null, "", "/") }, label));

export function mailLinkScreen(app: App, link: MailLink): Screen {
  const body = h("div");
  const element = h("section", { class: "card narrow", "data-screen": link.page.slice(1) }, body);
  if (link.page === "/verify-email") {
    fill(body, h("h2", {}, "Confirming your email"), h("p", {}, "One moment…"));
    void app.attempt(async () => {
      try {
        await request(VERIFY_EMAIL, { token: link.token });
        fill(body, h("h2", {}, "Your email is confirmed"), h("p", {}, "Thank you."), onward("Go to Real-time Connect"));
      } catch (error) {
        fill(body, h("h2", {}, "This link did not work"), h("p", {}, "It may have expired or been used already. Your profile page can mail you a new one."), onward("Log in"));
        throw error;
      }
    });
  } else {
    fill(
      body,
      app.form(
        async ({ newPassword }) => {
          await request(RESET_PASSWORD, { token: link.token, newPassword });
          // Every session of the account has ended, this tab's too.
          setToken(null);
          fill(body, h("h2", {}, "Your password is changed"), h("p", {}, "Every device was logged out: log in with the new password."), onward("Log in"));
        },
        h("h2", {}, "Choose a new password"),
        field("New password (10 characters or more)", h("input", { name: "newPassword", type: "password", required: true, minlength: 10, autocomplete: "new-password" })),
        h("button", { type: "submit" }, "Change password"),
      ),
    );
  }
  return { element };
}
