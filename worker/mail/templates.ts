/** The mails the product sends, by template name (see app_private.queue_email). */
import { config } from "../../src/config.ts";

export interface MailContent {
  subject: string;
  text: string;
}

export const mailTemplates = {
  verify_email: (username: string, token: string): MailContent => ({
    subject: "Confirm your email for Real-time Connect",
    text: `Hi ${username},

confirm your email address by opening this link (valid for 7 days):
${config.appUrl}/verify-email?token=${token}

If you did not create an account, ignore this mail.`,
  }),
  password_reset: (username: string, token: string): MailContent => ({
    subject: "Reset your Real-time Connect password",
    text: `Hi ${username},

choose a new password by opening this link (valid for 1 hour, usable once):
${config.appUrl}/reset-password?token=${token}

If you did not ask for this, ignore this mail: your password stays as it is.`,
  }),
};

export type MailTemplate = keyof typeof mailTemplates;
