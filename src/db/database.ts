/**
 * The Postgres server the project runs on, and the roles' URLs its processes
 * connect with: OWNER_DATABASE_URL / AUTH_DATABASE_URL and DATABASE_URL when
 * set (a server that is not ours), otherwise the embedded one (started here,
 * stopped by the returned `stop`, set up on the way).
 */
import { config } from "../config.ts";
import { deploy, isDeployed } from "./deploy.ts";
import { startEmbeddedPostgres } from "./embedded-postgres.ts";
import { setupCluster } from "./setup.ts";
import { configuredUrls, databaseUrls, type DatabaseUrls } from "./urls.ts";

export interface PostgresServer {
  /** Superuser URL of the application database; undefined when only role URLs are given. */
  superuserUrl: string | undefined;
  /** Each role's URL; one the configuration does not give is undefined. */
  urls: Partial<DatabaseUrls>;
  embedded: boolean;
  stop(): Promise<void>;
  /** Runs `listener` if a server started here dies (never for DATABASE_URL, whose server is not ours). */
  onUnexpectedExit(listener: (description: string) => void): void;
}

export async function startPostgres(): Promise<PostgresServer> {
  const configured = configuredUrls();
  if (configured) {
    return { superuserUrl: config.databaseUrl, urls: configured, embedded: false, stop: async () => {}, onUnexpectedExit: () => {} };
  }
  const server = await startEmbeddedPostgres({
    dataDir: config.embedded.dataDir,
    port: config.embedded.port,
    persistent: true,
  });
  const superuserUrl = server.superuserUrl(config.embedded.databaseName);
  return {
    superuserUrl,
    urls: databaseUrls(superuserUrl),
    embedded: true,
    stop: () => server.stop(),
    onUnexpectedExit: (listener) => server.onUnexpectedExit(listener),
  };
}

/**
 * Runs an npm command against the database (db:setup, db:migrate, db:check,
 * gm, schema:export): a failure prints one line, `failure` and the error's
 * message, and exits 1; a Postgres started here stops either way. The exit is
 * explicit: embedded-postgres's exit hook (async-exit-hook) would otherwise end
 * the process with 0 whatever process.exitCode says.
 */
export async function runCommand(command: (postgres: PostgresServer) => Promise<void>, failure = ""): Promise<void> {
  const postgres = await startPostgres();
  try {
    await command(postgres);
  } catch (error) {
    console.error(`${failure}${(error as Error).message}`);
    process.exitCode = 1;
  } finally {
    await postgres.stop();
  }
  process.exit(); // with process.exitCode
}

/** The superuser URL, or an error that says why the command needs one. */
export function requireSuperuser(postgres: PostgresServer, why: string): string {
  if (!postgres.superuserUrl) throw new Error(why);
  return postgres.superuserUrl;
}

/** The URL of a role the process needs, or an error that names the variable to set. */
export function requireUrl(postgres: PostgresServer, role: "owner" | "authenticator"): string {
  const url = postgres.urls[role];
  if (!url) throw new Error(`Set ${role === "owner" ? "OWNER_DATABASE_URL" : "AUTH_DATABASE_URL"} (or DATABASE_URL, a superuser URL to derive it from).`);
  return url;
}

/** Both roles' URLs (the API with its worker). */
export function requireUrls(postgres: PostgresServer): DatabaseUrls {
  return { databaseName: postgres.urls.databaseName!, owner: requireUrl(postgres, "owner"), authenticator: requireUrl(postgres, "authenticator") };
}

/**
 * Before `npm start`, `npm run worker` or a command that needs the schema:
 * the embedded default sets everything up (roles, database, schema); a
 * server that is not ours is deployed to only when MIGRATE_ON_START is set,
 * and otherwise must already run this code's schema. Returns false (having
 * said which command to run) when it does not.
 */
export async function prepareSchema(postgres: PostgresServer, log: (line: string) => void): Promise<boolean> {
  const ownerUrl = requireUrl(postgres, "owner");
  if (postgres.embedded) {
    await setupCluster(postgres.superuserUrl!);
    await deploy(ownerUrl, { log });
  } else if (config.migrateOnStart) {
    const outcome = await deploy(ownerUrl, { log });
    if (outcome.changed) log(`Deployed the schema (MIGRATE_ON_START): ${outcome.migrations.length} new migrations, ${outcome.sqlFiles} files of sql/.`);
  } else if (!(await isDeployed(ownerUrl))) {
    console.error("The database does not run this code's schema: deploy it with `npm run db:migrate` (or start with MIGRATE_ON_START=1).");
    return false;
  }
  return true;
}
