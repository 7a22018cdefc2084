/**
 * As root, the embedded Postgres runs as the OS user "postgres": a project in
 * a folder that user cannot enter (a 0700 temporary folder, /root) stops with
 * one sentence saying what to do, not a spawn EACCES with a stack trace.
 */
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { assertPostgresUserCanReach, firstClosedFolder } from "../../src/db/postgres-user-access.ts";

test("a folder under a private one is out of reach, and the error says what to do", async () => {
  const privateFolder = await mkdtemp(path.join(os.tmpdir(), "rtc-private-")); // mode 0700
  try {
    const project = path.join(privateFolder, "checkout", "node_modules");
    await mkdir(project, { recursive: true, mode: 0o755 });
    expect(firstClosedFolder(project)).toBe(privateFolder);
    expect(() => assertPostgresUserCanReach([project])).toThrow(
      new RegExp(`^The embedded Postgres runs as the OS user "postgres" when started by root, and that user cannot enter ${privateFolder}: .*or set DATABASE_URL\\.$`),
    );
    expect(firstClosedFolder(os.tmpdir())).toBeUndefined();
  } finally {
    await rm(privateFolder, { recursive: true, force: true });
  }
});
