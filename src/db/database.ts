/**
 * The Postgres server the project runs on: DATABASE_URL when set, otherwise
 * the embedded one (started here, stopped by the returned `stop`).
 */
import { config } from "../config.ts";
import { startEmbeddedPostgres } from "./embedded-postgres.ts";

export interface PostgresServer {
  /** Superuser URL of the application database. */
  superuserUrl: string;
  embedded: boolean;
  stop(): Promise<void>;
  /** Runs `listener` if a server started here dies (never for DATABASE_URL, whose server is not ours). */
  onUnexpectedExit(listener: (description: string) => void): void;
}

export async function startPostgres(): Promise<PostgresServer> {
  if (config.databaseUrl) {
    return { superuserUrl: config.databaseUrl, embedded: false, stop: async () => {}, onUnexpectedExit: () => {} };
  }
  const server = await startEmbeddedPostgres({
    dataDir: config.embedded.dataDir,
    port: config.embedded.port,
    persistent: true,
  });
  return {
    superuserUrl: server.superuserUrl(config.embedded.databaseName),
    embedded: true,
    stop: () => server.stop(),
    onUnexpectedExit: (listener) => server.onUnexpectedExit(listener),
  };
}
