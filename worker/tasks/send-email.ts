/**
 * Sends one mail queued by the database (app_private.queue_email). The
 * one-time token is issued now, as the mail goes out, so that no raw token is
 * ever stored; a retry issues a fresh one (the earlier stops working).
 */
import type { Task } from "graphile-worker";
import { mailTemplates, type MailTemplate } from "../mail/templates.ts";
import { makeMailTransport } from "../mail/transport.ts";

export interface SendEmailPayload {
  template: MailTemplate;
  userId: string;
}

const sendMail = makeMailTransport();

export const sendEmail: Task<"send_email"> = async (payload, helpers) => {
  const render = mailTemplates[payload.template];
  if (!render) throw new Error(`Unknown mail template "${payload.template}"`);
  const { rows } = await helpers.query<{ email: string; username: string; token: string | null }>(
    "select * from app_private.issue_email_token($1, $2)",
    [payload.userId, payload.template],
  );
  const recipient = rows[0];
  if (!recipient) return; // the account is gone or deactivated: nothing to send
  await sendMail({ to: recipient.email, ...render(recipient.username, recipient.token) });
};
