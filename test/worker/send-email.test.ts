/** The send_email task renders a queued mail and hands it to the transport (files by default). */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { runOnce } from "graphile-worker";
import { config } from "../../src/config.ts";
import { superuserPool, testDatabaseUrls } from "../support/db.ts";
import { taskList } from "../../worker/task-list.ts";
import { quietWorkerLogger } from "../../worker/logger.ts";

test("a password reset mail carries its one-time link", async () => {
  const to = `reset_${Date.now()}@example.com`;
  const token = "ab".repeat(32);
  await superuserPool().query("select graphile_worker.add_job('send_email', $1::json)", [
    JSON.stringify({ template: "password_reset", to, username: "ann", token }),
  ]);
  await runOnce({ connectionString: testDatabaseUrls().owner, taskList, logger: quietWorkerLogger });

  const file = (await readdir(config.mail.dir)).find((name) => name.endsWith(`${to}.eml`));
  expect(file).toBeDefined();
  const mail = decodeQuotedPrintable(await readFile(path.join(config.mail.dir, file!), "utf8"));
  expect(mail).toMatch(/Subject: Reset your Real-time Connect password/);
  expect(mail).toContain(`${config.appUrl}/reset-password?token=${token}`);
});

function decodeQuotedPrintable(text: string): string {
  return text.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
