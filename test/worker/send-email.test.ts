/** The send_email task issues the one-time token and hands the mail to the transport (files by default). */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { runOnce } from "graphile-worker";
import { config } from "../../src/config.ts";
import { superuserPool, testDatabaseUrls } from "../support/db.ts";
import { createUser } from "../support/factories.ts";
import { decodeQuotedPrintable } from "../support/mail.ts";
import { taskList } from "../../worker/task-list.ts";
import { quietWorkerLogger } from "../../worker/logger.ts";
import { mailTemplates } from "../../worker/mail/templates.ts";

test("a password reset mail carries a one-time link whose token only the hash of is stored", async () => {
  const db = superuserPool();
  const user = await createUser(db, "female");
  const before = new Set(await readdir(config.mail.dir).catch(() => []));
  try {
    await db.query("select app_private.queue_email($1, 'password_reset')", [user.id]);
    const queued = await db.query(
      "select j.payload from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id where t.identifier = 'send_email' and j.payload->>'userId' = $1",
      [user.id],
    );
    expect(queued.rows[0].payload).toEqual({ template: "password_reset", userId: user.id }); // no token in the queue
    await runOnce({ connectionString: testDatabaseUrls().owner, taskList, logger: quietWorkerLogger });

    const files = (await readdir(config.mail.dir)).filter((name) => !before.has(name));
    const mails = await Promise.all(files.map(async (name) => decodeQuotedPrintable(await readFile(path.join(config.mail.dir, name), "utf8"))));
    const mail = mails.find((text) => text.includes(`To: ${user.username}@example.com`));
    expect(mail).toMatch(/Subject: Reset your Real-time Connect password/);
    const token = /reset-password\?token=([0-9a-f]{64})/.exec(mail!)![1]!;
    const stored = await db.query(
      "select exists (select 1 from app_private.password_reset_tokens where user_id = $1 and token_hash = sha256(convert_to($2, 'utf8'))) as matches",
      [user.id, token],
    );
    expect(stored.rows[0].matches).toBe(true);
  } finally {
    await db.query("delete from user_schema.users where id = $1", [user.id]);
  }
});

test("a mail file is named without the address (which may hold / or ..)", async () => {
  const db = superuserPool();
  const user = await createUser(db, "male", { username: "slashy_user", email: "a/../../escape@example.com" });
  try {
    await db.query("select app_private.queue_email($1, 'verify_email')", [user.id]);
    await runOnce({ connectionString: testDatabaseUrls().owner, taskList, logger: quietWorkerLogger });
    const names = await readdir(config.mail.dir);
    expect(names.every((name) => /^[0-9TZ-]+-[0-9a-f-]{36}\.eml$/.test(name))).toBe(true);
  } finally {
    await db.query("delete from user_schema.users where id = $1", [user.id]);
  }
});

test("the worker has a mail for every template name the database defines, and for no other", async () => {
  const { rows } = await superuserPool().query("select unnest(enum_range(null::app_private.mail_template))::text as name");
  expect(Object.keys(mailTemplates).sort()).toEqual(rows.map((row) => row.name).sort());
});

test("the account_exists notice names the account and carries no link", async () => {
  const db = superuserPool();
  const user = await createUser(db, "female");
  try {
    const { rows } = await db.query("select * from app_private.issue_email_token($1, 'account_exists')", [user.id]);
    expect(rows).toEqual([{ email: `${user.username}@example.com`, username: user.username, token: null }]);
    const mail = mailTemplates.account_exists(user.username);
    expect(mail.text).toContain(`"${user.username}"`);
    expect(mail.text).not.toMatch(/token=/);
  } finally {
    await db.query("delete from user_schema.users where id = $1", [user.id]);
  }
});
