/**
 * The connection strings of each role, derived from the superuser URL of the
 * application database (DATABASE_URL). Roles: sql/cluster/roles.sql.
 */
import { config } from "../config.ts";

export interface DatabaseUrls {
  databaseName: string;
  /** Superuser, on the application database. */
  superuser: string;
  /** Superuser, on the server's maintenance database "postgres". */
  maintenance: string;
  /** rtc_owner: migrations, the worker, and PostGraphile's introspection. */
  owner: string;
  /** rtc_authenticator: the API's login role. */
  authenticator: string;
}

export function databaseUrls(superuserUrl: string): DatabaseUrls {
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
