/**
 * Mail as the worker sends it. A queued send_email job names the user and the
 * template; the worker issues the one-time token when it sends the mail
 * (app_private.issue_email_token). These helpers read the queue (the jobs
 * view hides payloads, hence the private tables) and do what the worker does;
 * mailedLink reads what a running worker sent.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type pg from "pg";
import { config } from "../../src/config.ts";

type Queryable = Pick<pg.ClientBase, "query">;

const QUEUED_MAIL = `
  select j.payload->>'userId' as user_id
    from graphile_worker._private_jobs j
    join graphile_worker._private_tasks t on t.id = j.task_id
   where t.identifier = 'send_email' and j.payload->>'template' = $2
     and j.payload->>'userId' in (select id::text from user_schema.users where email = any($1))`;

/** The token in the mail of that template that the worker would send to the address now. */
export async function mailedToken(db: Queryable, email: string, template: "verify_email" | "password_reset"): Promise<string> {
  const queued = await db.query(QUEUED_MAIL, [[email], template]);
  if (!queued.rows[0]) throw new Error(`no ${template} mail queued for ${email}`);
  const { rows } = await db.query("select token from app_private.issue_email_token($1, $2)", [queued.rows[0].user_id, template]);
  return rows[0].token;
}

/** Which of the addresses have a mail of that template queued. */
export async function mailRecipients(db: Queryable, template: string, candidates: string[]): Promise<string[]> {
  const { rows } = await db.query(
    `select distinct u.email from user_schema.users u join (${QUEUED_MAIL}) queued on queued.user_id = u.id::text order by 1`,
    [candidates, template],
  );
  return rows.map((row) => row.email);
}

/** A mail file's text as written (quoted-printable: `=` is `=3D`, long lines end in `=`), decoded. */
export function decodeQuotedPrintable(text: string): string {
  return text.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/**
 * The link to `page` (/verify-email, /reset-password) of the newest mail the
 * worker sent to the address (the file transport, MAIL_DIR), waiting for it.
 */
export async function mailedLink(address: string, page: string, ms = 10_000): Promise<URL> {
  const pattern = new RegExp(`(\\S+${page}\\?token=[0-9a-f]+)`);
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const names = (await readdir(config.mail.dir).catch(() => [] as string[])).sort().reverse();
    for (const name of names) {
      const mail = decodeQuotedPrintable(await readFile(path.join(config.mail.dir, name), "utf8"));
      const link = pattern.exec(mail)?.[1];
      if (link && mail.includes(`To: ${address}`)) return new URL(link);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no mail with a ${page} link reached ${address}`);
}
