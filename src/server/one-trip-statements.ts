/**
 * PostGraphile runs each statement of a request in a transaction that carries
 * the request's settings (its role, user and statement_timeout): `begin`,
 * `select set_config(...)` of the settings, the statement, `commit`, three
 * round trips. On a loaded server the round trips are what costs most (each
 * is a socket write and a wake-up on both sides; README "Benchmarks"), so the
 * API's pool clients hold `begin` and the settings back and send them with
 * the statement that follows:
 *
 * - A statement Postgres already holds prepared on this connection goes out
 *   as one simple query, `select set_config(...); execute <statement>(<its
 *   values as escaped literals>)`. Postgres runs the statements of one simple
 *   query as one implicit transaction, and `set_config(..., true)` lasts
 *   until its end: the statement runs with the settings and is committed (or
 *   rolled back) before the answer comes back. The `commit` (or `rollback`)
 *   that PostGraphile sends next is answered here. One round trip instead of
 *   three. (PostGraphile names its queries; the statements it does not name,
 *   mutations and the plugins' own, are named here. node-pg prepares a named
 *   statement at its first run on a connection.)
 * - Anything else (a statement's first run on this connection, one without
 *   values, values that are not plain text or numbers, a savepoint) gets a
 *   real transaction: `begin` and the settings as one simple query, then the
 *   statement, then its `commit`. Two round trips.
 *
 * PostGraphile sends one statement per such transaction (reads and mutations
 * alike); what needs several in one (cursors) opens a savepoint, and so a
 * real transaction. A second statement after a one-trip one gets the settings
 * again, in its own implicit transaction, as PostGraphile runs the statements
 * of a request that carries no settings.
 */
import type pg from "pg";

/** The settings query of @dataplan/pg's node-postgres adaptor, to the character. */
const SET_SETTINGS = "select set_config(el->>0, el->>1, true) from json_array_elements($1::json) el";
/** How many statements of its own naming a connection keeps prepared (as many as PostGraphile keeps of its own). */
const PREPARED_PER_CONNECTION = 100;

const answer = (command: string): pg.QueryResult => ({ command, rowCount: null, oid: 0, fields: [], rows: [] });
const lastOf = (results: pg.QueryResult | pg.QueryResult[]) => (Array.isArray(results) ? results[results.length - 1]! : results);

type Send = (config: unknown, values?: unknown, callback?: unknown) => Promise<pg.QueryResult | pg.QueryResult[]>;

/**
 * Where a client is in a transaction PostGraphile opened: `begin` held back;
 * `begin` and the settings held back (or, after a one-trip statement, only
 * the settings: no transaction is open); or a real transaction open, which
 * every query reaches as sent.
 */
type Transaction = { state: "begin held" } | { state: "settings held"; setSettings: string } | { state: "open"; opened: Promise<unknown> };

/** Makes every client of the pool send PostGraphile's transactions in as few round trips as they allow (above). */
export function sendStatementsInOneTrip(pool: pg.Pool): pg.Pool {
  pool.on("connect", (client) => {
    const send = client.query.bind(client) as Send;
    const prepared = (client as unknown as { connection: { parsedStatements: Record<string, string> } }).connection.parsedStatements;
    let transaction: Transaction | null = null;
    const ownNames = new StatementNames(prepared, (name) => client.escapeIdentifier(name));

    /** `execute name(literals)` of a statement prepared here, or undefined when it cannot be one. */
    const execution = (config: pg.QueryConfig): string | undefined => {
      if (config.name === undefined || prepared[config.name] !== config.text || config.types !== undefined) return undefined;
      const literals: string[] = [];
      for (const value of config.values ?? []) {
        const literal = asLiteral(value);
        if (literal === undefined) return undefined;
        literals.push(literal);
      }
      return `execute ${client.escapeIdentifier(config.name)}${literals.length > 0 ? `(${literals.join(", ")})` : ""}`;
    };

    client.query = ((config: unknown, values?: unknown, callback?: unknown) => {
      if (callback !== undefined || typeof values === "function" || (typeof config === "object" && config !== null && "submit" in config)) {
        return send(config, values, callback);
      }
      const query: pg.QueryConfig = typeof config === "string" ? { text: config, values: values as unknown[] | undefined } : (config as pg.QueryConfig);
      const bare = query.values === undefined || query.values.length === 0;

      if (transaction === null) {
        if (query.text === "begin" && bare) {
          transaction = { state: "begin held" };
          return Promise.resolve(answer("BEGIN"));
        }
        return send(config, values);
      }
      if (transaction.state === "open") {
        const { opened } = transaction;
        if (query.text === "rollback" && bare) {
          transaction = null;
          return opened.then(() => send(config, values), () => send(config, values));
        }
        if (query.text === "commit" && bare) transaction = null;
        return opened.then(() => send(config, values));
      }
      if (transaction.state === "begin held") {
        const settings = query.values;
        if (query.text === SET_SETTINGS && settings?.length === 1 && typeof settings[0] === "string") {
          transaction = { state: "settings held", setSettings: SET_SETTINGS.replace("$1", () => quoteLiteral(settings[0] as string)) };
          return Promise.resolve(answer("SELECT"));
        }
        return openTransaction("begin");
      }
      // The settings are held: nothing of the transaction has reached Postgres, or only one-trip statements have.
      if ((query.text === "commit" || query.text === "rollback") && bare) {
        transaction = null;
        return Promise.resolve(answer(query.text.toUpperCase()));
      }
      const { setSettings } = transaction;
      const statement = bare || query.name !== undefined || query.text === undefined ? query : { ...query, name: ownNames.nameFor(query.text) };
      const executeStatement = execution(statement);
      if (executeStatement !== undefined) {
        return send({ text: `${ownNames.deallocations()}${setSettings}; ${executeStatement}`, rowMode: (query as { rowMode?: string }).rowMode }).then(lastOf);
      }
      return openTransaction(`${ownNames.deallocations()}begin; ${setSettings}`, statement);

      /** Sends `opening` (`begin`, with the settings if any), then the query: `named` if it got a name here, else as it came. */
      function openTransaction(opening: string, named?: pg.QueryConfig) {
        const opened = send(opening);
        transaction = { state: "open", opened };
        return opened.then(() => (named ? send(named) : send(config, values)));
      }
    }) as typeof client.query;
  });
  return pool;
}

/**
 * Names for the statements PostGraphile does not name (mutations, and the
 * plugins' own), so that they too are prepared on the connection at their
 * first run: the PREPARED_PER_CONNECTION most recently used, the others
 * deallocated at the start of the connection's next query.
 */
class StatementNames {
  private readonly names = new Map<string, string>();
  private evicted: string[] = [];
  private count = 0;
  private readonly prepared: Record<string, string>;
  private readonly escapeIdentifier: (name: string) => string;

  constructor(prepared: Record<string, string>, escapeIdentifier: (name: string) => string) {
    this.prepared = prepared;
    this.escapeIdentifier = escapeIdentifier;
  }

  nameFor(text: string): string {
    let name = this.names.get(text);
    if (name !== undefined) this.names.delete(text);
    else name = `rtc_statement_${++this.count}`;
    this.names.set(text, name);
    if (this.names.size > PREPARED_PER_CONNECTION) {
      const [oldestText, oldest] = this.names.entries().next().value!;
      this.names.delete(oldestText);
      if (this.prepared[oldest] !== undefined) {
        delete this.prepared[oldest];
        this.evicted.push(oldest);
      }
    }
    return name;
  }

  /** `deallocate` of the statements evicted since the last call, to lead a simple query. */
  deallocations(): string {
    const sql = this.evicted.map((name) => `deallocate ${this.escapeIdentifier(name)}; `).join("");
    this.evicted = [];
    return sql;
  }
}

/** A query value as an SQL literal, as node-pg would send it as a parameter; undefined for a value it encodes otherwise (bytes, dates, arrays, objects) or that no literal can carry (a NUL character). */
function asLiteral(value: unknown): string | undefined {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return value.includes("\0") ? undefined : quoteLiteral(value);
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") return quoteLiteral(String(value));
  return undefined;
}

/** node-pg's escapeLiteral without its character-by-character copy (every statement pays for it): quotes doubled, and with a backslash the E'' form, backslashes doubled. */
function quoteLiteral(text: string): string {
  const quoted = text.replaceAll("'", "''");
  return text.includes("\\") ? ` E'${quoted.replaceAll("\\", "\\\\")}'` : `'${quoted}'`;
}
