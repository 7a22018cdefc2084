/**
 * Every setting the project reads from the environment, with its default.
 * README.md "Configuration" lists them.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function env(name: string, fallback: string): string {
  const value = process.env[name];
  return value === undefined || value === "" ? fallback : value;
}

function envInt(name: string, fallback: number): number {
  const raw = env(name, String(fallback));
  const value = Number.parseInt(raw, 10);
  if (!Number.isSafeInteger(value)) throw new Error(`${name} must be an integer, got "${raw}"`);
  return value;
}

export const config = {
  /** Superuser URL of the application database; unset means "start the embedded Postgres". */
  databaseUrl: process.env.DATABASE_URL || undefined,
  ownerPassword: env("DATABASE_OWNER_PASSWORD", "rtc_owner_local_only"),
  authenticatorPassword: env("DATABASE_AUTHENTICATOR_PASSWORD", "rtc_authenticator_local_only"),
  embedded: {
    dataDir: path.resolve(projectRoot, env("EMBEDDED_PG_DIR", ".data/postgres")),
    port: envInt("EMBEDDED_PG_PORT", 54329),
    databaseName: "realtime_connect",
  },
  /** Serve the Ruru GraphQL IDE at / (turn off in production). */
  graphiql: env("GRAPHIQL", "true") !== "false",
  http: {
    port: envInt("PORT", 5678),
    host: env("HOST", "127.0.0.1"),
  },
};
