/**
 * The project's own entry points (`npm start`, `npm run worker`) as child
 * processes, for tests that kill, restart or outlive things: a test sees
 * whether the process stays up, and what it printed.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { projectRoot } from "../../src/config.ts";

export { freePort } from "../../src/db/embedded-postgres.ts";

export interface ChildApp {
  readonly process: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Null while it runs. */
  exitCode(): number | null | "running";
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when it has exited. */
  stop(graceMs?: number): Promise<void>;
}

/** Runs `entry` (a .ts file of the project) with tsx and `env`; resolves once it printed `ready`. */
export async function startChild(entry: string, env: Record<string, string>, ready: RegExp, timeoutMs = 30_000): Promise<ChildApp> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(projectRoot, entry)], {
    cwd: projectRoot,
    env: { ...process.env, GRAPHILE_ENV: "development", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  let exit: number | null | "running" = "running";
  const exited = new Promise<void>((resolve) =>
    child.once("exit", (code) => {
      exit = code;
      resolve();
    }),
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${entry} not ready within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (ready.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited (${exit}) before it was ready:\n${output}`));
    });
  });
  return {
    process: child,
    output: () => output,
    exitCode: () => exit,
    async stop(graceMs = 5000) {
      if (exit !== "running") return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}


/** Polls `condition` every `everyMs` until it holds; fails after `timeoutMs`. */
export async function waitFor<T>(what: string, condition: () => Promise<T | undefined | false>, timeoutMs = 10_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** A worker process (test/support/worker-entry.ts) on the database `ownerUrl` names. */
export function startWorkerProcess(ownerUrl: string, env: Record<string, string> = {}): Promise<ChildApp> {
  return startChild("test/support/worker-entry.ts", { OWNER_URL: ownerUrl, ...env }, /worker ready/);
}
