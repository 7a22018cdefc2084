/**
 * The pages that the links in our mails open (worker/mail/templates.ts):
 * `/verify-email?token=…` and `/reset-password?token=…` on APP_URL. The server
 * answers these paths with the client (src/server/http.ts), which shows the
 * page instead of the log-in. No DOM here: the server and the tests use it too.
 */

export const MAIL_LINK_PAGES = ["/verify-email", "/reset-password"] as const;

export type MailLinkPage = (typeof MAIL_LINK_PAGES)[number];

export interface MailLink {
  page: MailLinkPage;
  /** The one-time token of the link ("" when the link lost it: the API then refuses it with RTOKN). */
  token: string;
}

/** The mail link a location is, if any (a trailing slash is forgiven). */
export function mailLinkOf(location: { pathname: string; search: string }): MailLink | null {
  const path = location.pathname.replace(/\/+$/, "");
  const page = MAIL_LINK_PAGES.find((candidate) => candidate === path);
  return page ? { page, token: new URLSearchParams(location.search).get("token") ?? "" } : null;
}
