/** Sends one mail queued by the database (app_private.queue_email). */
import type { Task } from "graphile-worker";
import { mailTemplates, type MailTemplate } from "../mail/templates.ts";
import { makeMailTransport } from "../mail/transport.ts";

export interface SendEmailPayload {
  template: MailTemplate;
  to: string;
  username: string;
  token: string;
}

const sendMail = makeMailTransport();

export const sendEmail: Task<"send_email"> = async (payload) => {
  const render = mailTemplates[payload.template];
  if (!render) throw new Error(`Unknown mail template "${payload.template}"`);
  await sendMail({ to: payload.to, ...render(payload.username, payload.token) });
};
