/** Where mail links point (APP_URL's default) and how the web client reads them: no server, no browser. */
import { servedAt } from "../../src/config.ts";
import { mailLinkOf } from "../../src/web/mail-links.ts";

test("APP_URL defaults to where the API serves the web client; a wildcard address is reached as localhost", () => {
  expect(servedAt("127.0.0.1", 5678)).toBe("http://127.0.0.1:5678");
  expect(servedAt("0.0.0.0", 8080)).toBe("http://localhost:8080");
  expect(servedAt("::", 8080)).toBe("http://localhost:8080");
  expect(servedAt("::1", 4000)).toBe("http://[::1]:4000");
});

test("the client reads the page and the token of a mail link, and nothing else as one", () => {
  expect(mailLinkOf({ pathname: "/verify-email", search: "?token=ab12" })).toEqual({ page: "/verify-email", token: "ab12" });
  expect(mailLinkOf({ pathname: "/reset-password/", search: "?token=cd34&utm=x" })).toEqual({ page: "/reset-password", token: "cd34" });
  expect(mailLinkOf({ pathname: "/reset-password", search: "" })).toEqual({ page: "/reset-password", token: "" });
  expect(mailLinkOf({ pathname: "/", search: "?token=ab12" })).toBeNull();
  expect(mailLinkOf({ pathname: "/verify-email-now", search: "?token=ab12" })).toBeNull();
});
