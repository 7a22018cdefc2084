/**
 * What a client sees of an error. Rule violations raised by the database
 * reach it with their message and a stable `extensions.code`: our own
 * SQLSTATEs (five characters starting with R, listed in README "Error codes")
 * and integrity constraint violations (class 23, with the constraint's name).
 * Anything else is masked: the client gets an id, the log gets the details.
 */
import { defaultMaskError } from "postgraphile/grafserv";
import { GraphQLError } from "postgraphile/graphql";
import { DATABASE_UNAVAILABLE, isConnectionError } from "./database-health.ts";

const RULE_VIOLATION = /^R[0-9A-Z]{4}$/;
const INTEGRITY_VIOLATION = /^23[0-9A-Z]{3}$/;
const INSUFFICIENT_PRIVILEGE = "42501";
/** statement_timeout (STATEMENT_TIMEOUT_SECONDS) cancelled a statement of the request. */
const QUERY_CANCELED = "57014";

interface PgError {
  code?: unknown;
  constraint?: unknown;
  detail?: unknown;
}

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

function withCode(error: GraphQLError, message: string, code: string): GraphQLError {
  return new GraphQLError(message, { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path, extensions: { code } });
}

/** Refusals whose DETAIL is the number of seconds to wait (sql/app_private/rate_limits.sql, login_throttle.sql). */
const RETRY_LATER = new Set(["RRATE", "RLOCK"]);

export function maskError(error: GraphQLError): GraphQLError {
  const original = error.originalError as (Error & PgError) | undefined;
  const code = typeof original?.code === "string" ? original.code : undefined;
  if (code === QUERY_CANCELED) {
    return new GraphQLError("The request took too long and was cancelled.", { nodes: error.nodes, path: error.path, extensions: { code: "RTIME" } });
  }
  if (original && code && (RULE_VIOLATION.test(code) || INTEGRITY_VIOLATION.test(code) || code === INSUFFICIENT_PRIVILEGE)) {
    return new GraphQLError(original.message, {
      nodes: error.nodes,
      source: error.source,
      positions: error.positions,
      path: error.path,
      originalError: original,
      extensions: {
        code,
        ...(typeof original.constraint === "string" ? { constraint: original.constraint } : {}),
        ...(RETRY_LATER.has(code) && typeof original.detail === "string" ? { retryAfterSeconds: Number(original.detail) } : {}),
      },
    });
  }
  if (isConnectionError(original)) return withCode(error, DATABASE_UNAVAILABLE.message, DATABASE_UNAVAILABLE.code);
  if (original?.message.startsWith(SUBSCRIPTION_INTERRUPTED_MESSAGE)) return withCode(error, LIVE_EVENTS_INTERRUPTED.message, LIVE_EVENTS_INTERRUPTED.code);
  return defaultMaskError(error) as GraphQLError;
}
