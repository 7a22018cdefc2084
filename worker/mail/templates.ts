/**
 * The mails the product sends, by the names the database gives them (the
 * enum app_private.mail_template; a test checks that every name has a mail
 * here and nothing else does).
 */
import { config } from "../../src/config.ts";

export interface MailContent {
  subject: string;
  text: string;
}

/** The account's username, and the one-time token of the mail's link (null for a mail without one). */
type Render = (username: string, token: string | null) => MailContent;

export const mailTemplates = {
  verify_email: (username, token) => ({
    subject: "Confirm your email for Real-time Connect",
    text: `Hi ${username},

confirm your email address by opening this link (valid for 7 days):
${config.appUrl}/verify-email?token=${token}

If you did not create an account, ignore this mail.`,
  }),
  password_reset: (username, token) => ({
    subject: "Reset your Real-time Connect password",
    text: `Hi ${username},

choose a new password by opening this link (valid for 1 hour, usable once):
${config.appUrl}/reset-password?token=${token}

If you did not ask for this, ignore this mail: your password stays as it is.`,
  }),
  account_exists: (username) => ({
    subject: "You already have a Real-time Connect account",
    text: `Hi ${username},

someone just registered a new account with this email address, which already
belongs to your account "${username}". No second account gets this address.

If it was you: log in with your username or this address. Forgot the password?
Ask the app for a password reset link: it comes to this address.

If it was not you, ignore this mail: nothing about your account changed.`,
  }),
} satisfies Record<string, Render>;

/** A value of app_private.mail_template. */
export type MailTemplate = keyof typeof mailTemplates;
