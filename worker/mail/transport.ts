/**
 * Where mail goes: an SMTP server when SMTP_URL is set, otherwise one .eml
 * file per mail in MAIL_DIR (default .data/mail), announced on the console.
 */
import { randomUUID } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import nodemailer from "nodemailer";
import { config } from "../../src/config.ts";

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
}

export type SendMail = (mail: OutgoingMail) => Promise<void>;

export function makeMailTransport(): SendMail {
  if (config.mail.smtpUrl) {
    const smtp = nodemailer.createTransport(config.mail.smtpUrl);
    return async (mail) => {
      await smtp.sendMail({ from: config.mail.from, ...mail });
    };
  }
  const files = nodemailer.createTransport({ streamTransport: true, buffer: true });
  return async (mail) => {
    const { message } = await files.sendMail({ from: config.mail.from, ...mail });
    await mkdir(config.mail.dir, { recursive: true });
    // The address never goes into the file name: it could hold "/" or "..".
    const file = path.join(config.mail.dir, `${new Date().toISOString().replace(/[:.]/g, "-")}-${randomUUID()}.eml`);
    await writeFile(file, message as Buffer);
    if (process.env.NODE_ENV !== "test") console.log(`[mail] "${mail.subject}" to ${mail.to}: ${file}`);
  };
}
