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

/** A secret with a development default that production must replace. */
function secret(name: string, developmentDefault: string): string {
  const value = process.env[name];
  if (value) return value;
  if (production) throw new Error(`${name} must be set when NODE_ENV=production`);
  return developmentDefault;
}

function envFlag(name: string, fallback: boolean): boolean {
  return !["false", "0"].includes(env(name, String(fallback)));
}

function envList(name: string): string[] {
  return env(name, "").split(",").map((item) => item.trim()).filter(Boolean);
}

function envInt(name: string, fallback: number): number {
  const raw = env(name, String(fallback));
  const value = Number.parseInt(raw, 10);
  if (!Number.isSafeInteger(value)) throw new Error(`${name} must be an integer, got "${raw}"`);
  return value;
}

/** NODE_ENV=production: no IDE, no introspection, and real role passwords required. */
const production = process.env.NODE_ENV === "production";

const httpPort = envInt("PORT", 5678);
const httpHost = env("HOST", "127.0.0.1");

/** Where the API serves the web client (a wildcard address is reached as localhost). */
export function servedAt(host: string, port: number): string {
  const reachable = host === "0.0.0.0" || host === "::" ? "localhost" : host;
  return `http://${reachable.includes(":") ? `[${reachable}]` : reachable}:${port}`;
}

export const config = {
  /** Superuser URL of the application database (db:setup; role URLs are derived from it when not given). */
  databaseUrl: process.env.DATABASE_URL || undefined,
  /** rtc_owner's URL (deploy, worker), for processes handed credentials rather than a superuser. */
  ownerDatabaseUrl: process.env.OWNER_DATABASE_URL || undefined,
  /** rtc_authenticator's URL (the API). */
  authDatabaseUrl: process.env.AUTH_DATABASE_URL || undefined,
  /** On a database that is not embedded, `npm start` deploys the schema only when this is set. */
  migrateOnStart: envFlag("MIGRATE_ON_START", false),
  ownerPassword: secret("DATABASE_OWNER_PASSWORD", "rtc_owner_local_only"),
  authenticatorPassword: secret("DATABASE_AUTHENTICATOR_PASSWORD", "rtc_authenticator_local_only"),
  embedded: {
    dataDir: path.resolve(projectRoot, env("EMBEDDED_PG_DIR", ".data/postgres")),
    port: envInt("EMBEDDED_PG_PORT", 54329),
    databaseName: "realtime_connect",
  },
  /** Serve the Ruru GraphQL IDE at / (off by default in production). */
  graphiql: envFlag("GRAPHIQL", !production),
  /** Answer GraphQL introspection (off by default in production). */
  introspection: envFlag("INTROSPECTION", !production),
  /** Trusted documents: a JSON file {"<sha256>": "<document>"}; when set, the API runs only those (src/server/trusted-documents.ts). */
  trustedDocuments: process.env.GRAPHQL_TRUSTED_DOCUMENTS ? path.resolve(process.env.GRAPHQL_TRUSTED_DOCUMENTS) : undefined,
  /** The web client; mail links point there (by default where this API serves it). */
  appUrl: env("APP_URL", servedAt(httpHost, httpPort)).replace(/\/+$/, ""),
  mail: {
    /** SMTP server (nodemailer URL, e.g. smtps://user:pass@host:465); unset writes mails to `dir`. */
    smtpUrl: process.env.SMTP_URL || undefined,
    dir: path.resolve(projectRoot, env("MAIL_DIR", ".data/mail")),
    from: env("MAIL_FROM", "Real-time Connect <no-reply@realtime-connect.local>"),
  },
  worker: {
    /** Jobs held by a worker process that died (kill -9, a lost host) are released to run again within this time. */
    releaseDeadAfterSeconds: envInt("WORKER_RELEASE_DEAD_AFTER_SECONDS", 120),
  },
  matchmaking: {
    /** After this long in the queue a user's soft preferences (country, city, age closeness) are relaxed. */
    relaxAfterSeconds: envInt("MATCH_RELAX_AFTER_SECONDS", 30),
  },
  /** What `iceServers` gives WebRTC clients (src/server/plugins/ice-servers.ts). */
  ice: {
    stunUrls: envList("STUN_URLS"),
    turnUrls: envList("TURN_URLS"),
    turnSecret: process.env.TURN_SECRET || undefined,
    turnCredentialSeconds: envInt("TURN_CREDENTIAL_SECONDS", 3600),
  },
  http: {
    port: httpPort,
    host: httpHost,
  },
  /** What one client may ask of the API at once (README "Limits"). */
  limits: {
    graphql: {
      /** Nesting of selections (introspection excepted). */
      maxDepth: envInt("GRAPHQL_MAX_DEPTH", 12),
      /** Aliased fields in one operation. */
      maxAliases: envInt("GRAPHQL_MAX_ALIASES", 15),
      /** Directives in one operation. */
      maxDirectives: envInt("GRAPHQL_MAX_DIRECTIVES", 20),
      /** Lexical tokens in one document. */
      maxTokens: envInt("GRAPHQL_MAX_TOKENS", 2000),
      /** Cost of one operation, fragments expanded (objects 2, scalars 1, times 1.5 per level). */
      maxCost: envInt("GRAPHQL_MAX_COST", 5000),
      /** Largest `first` / `last` of a list. */
      maxPageSize: envInt("GRAPHQL_MAX_PAGE_SIZE", 100),
    },
    /** Each SQL statement of a request is cancelled after this long (code 57014). */
    statementTimeoutSeconds: envInt("STATEMENT_TIMEOUT_SECONDS", 5),
    websocket: {
      /** Largest message a websocket may send; a larger one closes it (code 1009). */
      maxMessageBytes: envInt("WS_MAX_MESSAGE_BYTES", 65536),
      /** Live subscriptions of one websocket. */
      maxSubscriptionsPerSocket: envInt("WS_MAX_SUBSCRIPTIONS_PER_SOCKET", 20),
      /** Live subscriptions of one user over all their websockets (in this API process). */
      maxSubscriptionsPerUser: envInt("WS_MAX_SUBSCRIPTIONS_PER_USER", 50),
      /** Open websockets without a bearer token from one network address. */
      maxAnonymousSocketsPerAddress: envInt("WS_MAX_ANONYMOUS_SOCKETS_PER_ADDRESS", 10),
      /** Distinct LISTEN channels of this API process (src/server/live-channels.ts). */
      maxLiveChannels: envInt("LIVE_MAX_CHANNELS", 500),
    },
  },
  /** Connections of the API's pool for GraphQL operations (PostGraphile's; one more LISTENs). */
  poolSize: envInt("DATABASE_POOL_SIZE", 10),
  /** Bearer tokens kept in the API process (src/server/session-cache.ts); the database re-checks each transaction. */
  sessionCache: {
    ttlMs: envInt("SESSION_CACHE_SECONDS", 60) * 1000,
    maxEntries: envInt("SESSION_CACHE_MAX_ENTRIES", 100_000),
  },
};

export type Limits = typeof config.limits;
