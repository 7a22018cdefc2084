/**
 * PostGraphile opens every transaction that carries settings (each request's
 * role and user) with two round trips: `begin`, then one `select set_config(...)`
 * of them all. On a loaded server the round trips are what costs most (each is
 * a socket write and a wake-up on both sides), so the API's pool clients send
 * the two as one simple query: `begin` is held back, and goes out with the
 * settings that follow it, written into the query as one escaped JSON literal.
 * Any other query after `begin` goes out after a `begin` of its own, as before.
 */
import type pg from "pg";

/** The settings query of @dataplan/pg's node-postgres adaptor, to the character. */
const SET_SETTINGS = "select set_config(el->>0, el->>1, true) from json_array_elements($1::json) el";

const OPENED: pg.QueryResult = { command: "BEGIN", rowCount: null, oid: 0, fields: [], rows: [] };

/** Makes every client of the pool send `begin` together with the settings query that follows it. */
export function openTransactionsInOneTrip(pool: pg.Pool): pg.Pool {
  pool.on("connect", (client) => {
    const query = client.query.bind(client) as (config: unknown, values?: unknown) => Promise<pg.QueryResult | pg.QueryResult[]>;
    let beginHeldBack = false;
    client.query = ((config: unknown, values?: unknown, callback?: unknown) => {
      const text = typeof config === "object" && config !== null ? (config as pg.QueryConfig).text : undefined;
      if (callback !== undefined || typeof values === "function" || (typeof config === "object" && config !== null && "submit" in config)) {
        return (query as (...args: unknown[]) => unknown)(config, values, callback);
      }
      if (text === "begin" && values === undefined && !beginHeldBack) {
        beginHeldBack = true;
        return Promise.resolve(OPENED);
      }
      if (!beginHeldBack) return query(config, values);
      beginHeldBack = false;
      const settings = (config as pg.QueryConfig).values;
      if (text === SET_SETTINGS && values === undefined && settings?.length === 1 && typeof settings[0] === "string") {
        return query(`begin; select set_config(el->>0, el->>1, true) from json_array_elements(${client.escapeLiteral(settings[0])}::json) el`).then(
          (results) => (Array.isArray(results) ? results[results.length - 1]! : results),
        );
      }
      return query("begin").then(() => query(config, values));
    }) as typeof client.query;
  });
  return pool;
}
