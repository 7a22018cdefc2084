/**
 * The PostGraphile preset: which schemas become the GraphQL API, how it is
 * served, and how each request becomes a database role.
 */
import type pg from "pg";
import { makePgService } from "postgraphile/adaptors/pg";
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { PgSimplifyInflectionPreset } from "@graphile/simplify-inflection";
import type { DatabaseUrls } from "../db/urls.ts";
import { config, type Limits } from "../config.ts";
import { LoginRequiredPlugin, makeMaskError, type ConstraintRules } from "./errors.ts";
import { identifyOperation, type SessionLookup } from "./auth.ts";
import type { SessionSockets } from "./session-sockets.ts";
import { DATABASE_UNAVAILABLE, type DatabaseHealth } from "./database-health.ts";
import { SafeError, type GrafastSubscriber } from "postgraphile/grafast";
import { NoSchemaPrefixPlugin } from "./plugins/inflection.ts";
import { LoginFailurePlugin } from "./plugins/login-failure.ts";
import { NoIntrospectionPlugin } from "./plugins/no-introspection.ts";
import { UserEventsPlugin } from "./plugins/user-events.ts";
import { RoomEventsPlugin } from "./plugins/room-events.ts";
import { LiveRowsPlugin } from "./plugins/live-rows.ts";
import { makeIceServersPlugin, type IceSettings } from "./plugins/ice-servers.ts";
import { makeOperationLimitsPlugin } from "./plugins/operation-limits.ts";
import { makePageSizePlugin } from "./plugins/page-size.ts";
import { EnumsPlugin } from "./plugins/enums.ts";
import { OwnEmailPlugin } from "./plugins/own-email.ts";
import { PersistedPlugin, trustedDocumentsOptions, type TrustedDocuments } from "./trusted-documents.ts";

/** The database schemas whose granted tables and functions form the API. */
export const API_SCHEMAS = ["user_schema", "interaction_schema", "communication_schema", "analytics_schema"];

export interface PresetOptions {
  /** Serve the Ruru GraphQL IDE (development). */
  graphiql: boolean;
  /** Answer introspection queries (turn off in production to keep the schema private). */
  introspection: boolean;
  /** How a bearer token becomes a session (src/server/auth.ts). */
  sessionLookup: SessionLookup;
  /** The websockets to close when their session ends. */
  sessionSockets: SessionSockets;
  /** STUN/TURN servers for WebRTC clients (default: the environment's, see config.ts). */
  ice?: IceSettings;
  /** README "Limits". */
  limits: Limits;
  /** The pool to serve with (made by the caller, who watches and ends it); without it PostGraphile makes its own. */
  pools?: { authenticator: pg.Pool };
  /** The LISTEN side of subscriptions (the caller releases it); without it PostGraphile makes its own. */
  pgSubscriber?: GrafastSubscriber;
  /** While it says the database is away, operations fail at once with RUNAV. */
  databaseHealth?: DatabaseHealth;
  /** What each constraint asks, for error messages that name the field (src/server/errors.ts). */
  constraintRules?: ConstraintRules;
  /** When given, the only documents the API runs, by SHA-256 (src/server/trusted-documents.ts). */
  trustedDocuments?: TrustedDocuments;
}

export function makePreset(urls: Pick<DatabaseUrls, "authenticator">, options: PresetOptions): GraphileConfig.Preset {
  return {
    extends: [PostGraphileAmberPreset, PgSimplifyInflectionPreset],
    plugins: [
      NoSchemaPrefixPlugin,
      EnumsPlugin,
      LoginRequiredPlugin,
      OwnEmailPlugin,
      LoginFailurePlugin,
      LiveRowsPlugin,
      UserEventsPlugin,
      RoomEventsPlugin,
      makeIceServersPlugin(options.ice ?? config.ice),
      // Without introspection, no "Did you mean ...?" either: both would reveal the schema.
      makeOperationLimitsPlugin(options.limits.graphql, { suggestions: options.introspection }),
      makePageSizePlugin(options.limits.graphql.maxPageSize),
      ...(options.introspection ? [] : [NoIntrospectionPlugin]),
      ...(options.trustedDocuments ? [PersistedPlugin] : []),
    ],
    pgServices: [
      makePgService({
        // The authenticator only: introspection and queries run as it, and
        // PostGraphile wants a superuser only to install watch-mode fixtures,
        // which this server does not use.
        connectionString: urls.authenticator,
        pool: options.pools?.authenticator,
        schemas: API_SCHEMAS,
        pubsub: true,
        pgSubscriber: options.pgSubscriber,
        // GraphQL operations and subscription events share this pool (and its LISTEN connection).
        poolConfig: { max: config.poolSize },
      }),
    ],
    gather: {
      // An argument without a default is required (non-null) in the schema,
      // so a forgotten one is a validation error naming it.
      pgStrictFunctions: true,
    },
    grafserv: {
      graphqlPath: "/graphql",
      ...(options.trustedDocuments ? trustedDocumentsOptions(options.trustedDocuments) : {}),
      graphiqlPath: "/graphiql",
      graphiql: options.graphiql,
      graphiqlOnGraphQLGET: options.graphiql,
      websockets: true,
      maskError: makeMaskError(options.constraintRules ?? new Map()),
    },
    grafast: {
      async context(requestContext) {
        if (options.databaseHealth?.available === false) throw new SafeError(DATABASE_UNAVAILABLE.message, { code: DATABASE_UNAVAILABLE.code });
        const { pgSettings, userId } = await identifyOperation(requestContext, options.sessionLookup, options.sessionSockets);
        const statementTimeout = `${options.limits.statementTimeoutSeconds}s`;
        return { pgSettings: { ...pgSettings, statement_timeout: statementTimeout }, rtcUserId: userId };
      },
    },
  };
}
