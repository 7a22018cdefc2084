/**
 * `npm start` stops cleanly on SIGTERM sent to the npm process alone (not its
 * group), as a process manager or `kill <pid>` does: npm forwards it, and the
 * script execs node, so the signal reaches the server, which stops the API,
 * the worker and Postgres in order. Nothing is left running, and a normal
 * stop prints no stack trace.
 */
import { spawn } from "node:child_process";
import { readdir, readFile, rm } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { projectRoot } from "../../src/config.ts";
import { freePort } from "../support/processes.ts";


/** Pids of the processes whose command line or environment mentions `text` (npm, node and Postgres all carry the data folder). */
async function processesMentioning(text: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const [cmdline, environ] = await Promise.all(
      ["cmdline", "environ"].map((file) => readFile(`/proc/${entry}/${file}`, "utf8").catch(() => "")),
    );
    if (`${cmdline}\0${environ}`.includes(text)) pids.push(Number(entry));
  }
  return pids;
}

test("SIGTERM to the npm start process stops the API, the worker and Postgres, without a stack trace", async () => {
  const dataDir = path.join(os.tmpdir(), `rtc-start-${randomBytes(6).toString("hex")}`);
  const [pgPort, apiPort] = [await freePort(), await freePort()];
  const npm = spawn("npm", ["start"], {
    cwd: projectRoot,
    env: { ...process.env, NODE_OPTIONS: "", EMBEDDED_PG_DIR: dataDir, EMBEDDED_PG_PORT: String(pgPort), PORT: String(apiPort), MAIL_DIR: path.join(dataDir, "mail") },
    detached: true, // its own process group, so that the cleanup below can reach anything left
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  npm.stdout.on("data", (chunk) => (output += chunk));
  npm.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => npm.once("exit", () => resolve()));
  try {
    const deadline = Date.now() + 60_000;
    while (!output.includes("Press Ctrl-C to stop.")) {
      if (Date.now() > deadline || npm.exitCode !== null) throw new Error(`npm start did not come up:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect((await fetch(`http://127.0.0.1:${apiPort}/healthz`)).status).toBe(200);

    process.kill(npm.pid!, "SIGTERM");
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`still running:\n${output}`)), 20_000)))]);
    clearTimeout(timer);
    // The server (node) and Postgres (-D <dataDir>) are gone too.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await processesMentioning(dataDir)).toEqual([]);
    expect(output).toContain("Stopped.");
    expect(output).not.toMatch(/^\s+at /m);
  } finally {
    try {
      process.kill(-npm.pid!, "SIGKILL");
    } catch {
      // already gone, as it should be
    }
    for (const pid of await processesMentioning(dataDir)) process.kill(pid, "SIGKILL");
    await rm(dataDir, { recursive: true, force: true });
  }
}, 90_000);
