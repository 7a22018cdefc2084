/**
 * The connection strings of each role (sql/cluster/roles.sql): given directly
 * (OWNER_DATABASE_URL, AUTH_DATABASE_URL) to processes that are handed
 * credentials, or derived from a superuser URL of the application database
 * (DATABASE_URL, or the embedded Postgres).
 */
import { config } from "../config.ts";

/** What the running processes connect with. */
export interface DatabaseUrls {
  databaseName: string;
  /** rtc_owner: the schema deploy and the worker. */
  owner: string;
  /** rtc_authenticator: the API (queries, bearer-token look-ups, LISTEN). */
  authenticator: string;
}

/** With a superuser too: the one-time set-up of roles and database. */
export interface ClusterUrls extends DatabaseUrls {
  /** Superuser, on the application database. */
  superuser: string;
  /** Superuser, on the server's maintenance database "postgres". */
  maintenance: string;
}

export function databaseUrls(superuserUrl: string): ClusterUrls {
  const url = new URL(superuserUrl);
  const databaseName = decodeURIComponent(url.pathname.slice(1));
  if (!databaseName) throw new Error("DATABASE_URL must name a database, e.g. postgres://postgres@localhost/realtime_connect");
  const as = (user: string, password: string, database = databaseName) => {
    const derived = new URL(superuserUrl);
    derived.username = user;
    derived.password = password;
    derived.pathname = `/${encodeURIComponent(database)}`;
    return derived.toString();
  };
  return {
    databaseName,
    superuser: superuserUrl,
    maintenance: as(decodeURIComponent(url.username), decodeURIComponent(url.password), "postgres"),
    owner: as("rtc_owner", config.ownerPassword),
    authenticator: as("rtc_authenticator", config.authenticatorPassword),
  };
}

/**
 * The role URLs given in the environment, each falling back to the one
 * derived from DATABASE_URL; undefined when neither is given (embedded).
 */
export function configuredUrls(): Partial<DatabaseUrls> | undefined {
  const { databaseUrl, ownerDatabaseUrl, authDatabaseUrl } = config;
  if (!databaseUrl && !ownerDatabaseUrl && !authDatabaseUrl) return undefined;
  const derived = databaseUrl ? databaseUrls(databaseUrl) : undefined;
  const owner = ownerDatabaseUrl ?? derived?.owner;
  const authenticator = authDatabaseUrl ?? derived?.authenticator;
  const named = owner ?? authenticator;
  return { databaseName: named && decodeURIComponent(new URL(named).pathname.slice(1)), owner, authenticator };
}
