/**
 * What a client sees of an error. Every error a client can cause reaches it
 * with a stable `extensions.code` (README "Error codes") and a plain message:
 *   - our own rule violations (SQLSTATEs of five characters starting with R)
 *     pass with their message;
 *   - Postgres errors a client can cause (a refused privilege, a CHECK, NOT
 *     NULL or UNIQUE violation, a value too long, a NUL character, malformed
 *     input, a statement cut off by statement_timeout) get one of our codes, a plain message and, where the database
 *     says which column, `extensions.field` with its GraphQL name; no
 *     schema, table or constraint name leaves the server;
 *   - anything else is masked: the client gets an id, the log the details.
 * A refused privilege is `RAUTH` for a visitor (logging in is required) and
 * `RDENY` for a logged-in user; the plugin below, which knows who asked,
 * tells them apart.
 */
import type pg from "pg";
import { defaultMaskError } from "postgraphile/grafserv";
import { GraphQLError, type ExecutionResult } from "postgraphile/graphql";
import { DATABASE_UNAVAILABLE, isConnectionError } from "./database-health.ts";

const RULE_VIOLATION = /^R[0-9A-Z]{4}$/;

interface PgError extends Error {
  code?: unknown;
  schema?: unknown;
  table?: unknown;
  column?: unknown;
  constraint?: unknown;
  detail?: unknown;
}

/** A constraint's column (as a GraphQL field name) and what it asks, from its comment. */
export interface ConstraintRule {
  field?: string;
  rule?: string;
}

/** Constraints of the API's tables, by `schema.table.constraint`. */
export type ConstraintRules = Map<string, ConstraintRule>;

/** The GraphQL name of a column (PostGraphile's: camelCase, `id` is `rowId`). */
export function fieldName(column: string): string {
  return column === "id" ? "rowId" : column.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

/**
 * Reads, once at start-up, each CHECK and UNIQUE constraint of the API's
 * schemas: its one column (if it has exactly one) and its comment, which
 * says what the constraint asks ("must have at most 100 characters").
 */
export async function loadConstraintRules(pool: pg.Pool, schemas: string[]): Promise<ConstraintRules> {
  const { rows } = await pool.query<{ key: string; columns: string[] | null; rule: string | null }>(
    `select n.nspname || '.' || r.relname || '.' || c.conname as key,
            (select array_agg(a.attname::text) from pg_attribute a
              where a.attrelid = c.conrelid and a.attnum = any(c.conkey)) as columns,
            obj_description(c.oid, 'pg_constraint') as rule
       from pg_constraint c
       join pg_class r on r.oid = c.conrelid
       join pg_namespace n on n.oid = r.relnamespace
      where n.nspname = any($1) and c.contype in ('c', 'u')`,
    [schemas],
  );
  return new Map(
    rows.map((row) => [row.key, { field: row.columns?.length === 1 ? fieldName(row.columns[0]!) : undefined, rule: row.rule ?? undefined }]),
  );
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * PostGraphile's LISTEN connection failed: it ends every subscription rather
 * than resume it, since events sent meanwhile are lost. The client subscribes
 * again and re-reads what it shows.
 */
const SUBSCRIPTION_INTERRUPTED_MESSAGE = "Underlying pubsub channel interrupted";
export const LIVE_EVENTS_INTERRUPTED = {
  code: "RLIVE",
  message: "Live events were interrupted (the database connection was lost): subscribe again, and re-read what you show.",
} as const;

/** Refusals whose DETAIL is the number of seconds to wait (sql/app_private/rate_limits.sql, login_throttle.sql). */
const RETRY_LATER = new Set(["RRATE", "RLOCK"]);

interface ClientError {
  code: string;
  message: string;
  field?: string;
  retryAfterSeconds?: number;
}

/** The client's view of an error it caused or can act on, or undefined for an unexpected one. */
function clientError(error: PgError, rules: ConstraintRules): ClientError | undefined {
  if (isConnectionError(error)) return { ...DATABASE_UNAVAILABLE };
  if (error.message.startsWith(SUBSCRIPTION_INTERRUPTED_MESSAGE)) return { ...LIVE_EVENTS_INTERRUPTED };
  const code = typeof error.code === "string" ? error.code : undefined;
  if (!code) return undefined;
  if (RULE_VIOLATION.test(code)) {
    const retryAfterSeconds = RETRY_LATER.has(code) && typeof error.detail === "string" ? Number(error.detail) : undefined;
    return { code, message: error.message, ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}) };
  }
  const constraint = rules.get(`${error.schema}.${error.table}.${error.constraint}`);
  const field = constraint?.field ?? (typeof error.column === "string" ? fieldName(error.column) : undefined);
  const subject = field ?? "A value";
  // A rule over several columns is worded as a whole sentence.
  const broken = field || !constraint?.rule ? `${subject} ${constraint?.rule ?? "is not valid"}.` : `${capitalised(constraint.rule)}.`;
  switch (code) {
    case "42501":
      return { code: "RDENY", message: "You are not allowed to do that." };
    case "23514":
      return { code: "RINVL", message: broken, field };
    case "23505":
      return { code: "RDUPL", message: `${subject} is already taken.`, field };
    case "23502":
      return { code: "RNULL", message: `${subject} is required.`, field };
    case "23503":
      return { code: "RNREF", message: "That refers to something that does not exist.", field };
    case "57014": // statement_timeout (STATEMENT_TIMEOUT_SECONDS) cancelled a statement of the request
      return { code: "RTIME", message: "The request took too long and was cancelled." };
    case "22001":
      return { code: "RLONG", message: "A value is too long." };
    case "22021":
    case "22P05":
      return { code: "RNULC", message: "Text cannot contain the NUL character (\\u0000)." };
    case "22P02":
    case "22023":
    case "22007":
    case "22008":
    case "22003":
      return { code: "RFORM", message: "A value is not in the expected form (for example JSON of the wrong shape, or a number out of range)." };
    default:
      return undefined;
  }
}

export function makeMaskError(rules: ConstraintRules): (error: GraphQLError) => GraphQLError {
  return (error) => {
    const original = error.originalError as PgError | undefined;
    const mapped = original && clientError(original, rules);
    if (!mapped) return defaultMaskError(error) as GraphQLError;
    return new GraphQLError(mapped.message, {
      nodes: error.nodes,
      source: error.source,
      positions: error.positions,
      path: error.path,
      originalError: original,
      extensions: {
        code: mapped.code,
        ...(mapped.field ? { field: mapped.field } : {}),
        ...(mapped.retryAfterSeconds !== undefined ? { retryAfterSeconds: mapped.retryAfterSeconds } : {}),
      },
    });
  };
}

/** The error a visitor gets for a logged-in operation. */
const LOGIN_REQUIRED = Object.assign(new Error("You must be logged in."), { code: "RAUTH" });

function loginRequired(result: ExecutionResult): ExecutionResult {
  if (!result.errors?.some((error) => (error.originalError as PgError | undefined)?.code === "42501")) return result;
  return {
    ...result,
    errors: result.errors.map((error) =>
      (error.originalError as PgError | undefined)?.code === "42501"
        ? new GraphQLError(LOGIN_REQUIRED.message, { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path, originalError: LOGIN_REQUIRED })
        : error,
    ),
  };
}

/** A visitor refused a privilege was refused because they are not logged in: RAUTH. */
export const LoginRequiredPlugin: GraphileConfig.Plugin = {
  name: "LoginRequiredPlugin",
  version: "1.0.0",
  grafast: {
    middleware: {
      async execute(next, event) {
        const result = await next();
        const visitor = (event.args.contextValue as Partial<Grafast.Context> | undefined)?.rtcUserId == null;
        return visitor && !(Symbol.asyncIterator in result) ? loginRequired(result) : result;
      },
    },
  },
};
