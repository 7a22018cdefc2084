/**
 * The API's pool sends PostGraphile's transactions in as few round trips as
 * they allow (src/server/one-trip-statements.ts), through PostGraphile's own
 * adaptor: a statement prepared on the connection runs with its settings in
 * one round trip, atomically; anything else in a real transaction opened
 * with its settings in one.
 */
import { createHash } from "node:crypto";
import pg from "pg";
import { makePgAdaptorWithPgClient } from "postgraphile/adaptors/pg";
import { sendStatementsInOneTrip } from "../../src/server/one-trip-statements.ts";
import { testDatabaseUrls } from "../support/db.ts";

type WithPgClient = ReturnType<typeof makePgAdaptorWithPgClient>;
type AdaptorClient = Parameters<Parameters<WithPgClient>[1]>[0];

let pool: pg.Pool;
let withPgClient: WithPgClient;
beforeAll(() => {
  // One connection: every call below uses the same one, as a busy pool reuses its clients.
  pool = sendStatementsInOneTrip(new pg.Pool({ connectionString: testDatabaseUrls().authenticator, max: 1 }));
  withPgClient = makePgAdaptorWithPgClient(pool);
});
afterAll(async () => {
  withPgClient.release?.();
  await pool.end();
});

const VISITOR = { role: "rtc_visitor" };

/** What the connection sends to Postgres while `run` runs: simple queries by their text, extended ones as "parse"/"execute". */
async function sentWhile<T>(run: () => Promise<T>): Promise<{ result: T | undefined; error: unknown; sent: string[] }> {
  const client = await pool.connect();
  const connection = (client as unknown as { connection: Record<string, (...args: unknown[]) => unknown> }).connection;
  client.release();
  const sent: string[] = [];
  const originals = { query: connection.query!, parse: connection.parse!, execute: connection.execute! };
  connection.query = function (text) {
    sent.push(text as string);
    return originals.query.call(this, text);
  };
  connection.parse = function (message) {
    sent.push("parse");
    return originals.parse.call(this, message);
  };
  connection.execute = function (message) {
    sent.push("execute");
    return originals.execute.call(this, message);
  };
  try {
    const result = await run();
    return { result, error: undefined, sent: sent.filter((text) => !text.startsWith("set jit")) };
  } catch (error) {
    return { result: undefined, error, sent };
  } finally {
    Object.assign(connection, originals);
  }
}

/** A named statement through the adaptor, as PostGraphile runs one. */
const run = (settings: Record<string, string>, text: string, values: unknown[] = [], name = `one_trip_${createHash("sha1").update(text).digest("hex")}`) =>
  withPgClient(settings, (client: AdaptorClient) => client.query({ text, values, name, arrayMode: true }));

test("a statement's first run opens a transaction with its settings in one trip; every later run is one round trip", async () => {
  const text = "select current_user::text, $1::text, $2::int, $3::text";
  const odd = `it's \\ "odd" ü`;
  const first = await sentWhile(() => run(VISITOR, text, [odd, 7, null]));
  expect(first.sent.map((sent) => sent.split(" ")[0])).toEqual(["begin;", "parse", "execute", "commit"]);
  const later = await sentWhile(() => run(VISITOR, text, [odd, 8, null]));
  expect(later.sent).toHaveLength(1);
  expect(later.sent[0]).toMatch(/^select set_config\(.*; execute "one_trip_\w+"\(/);
  expect(later.result?.rows).toEqual([["rtc_visitor", odd, 8, null]]);
  // The settings lasted for the statement only.
  expect((await pool.query("select current_user::text as role")).rows[0].role).toBe("rtc_authenticator");
});

test("a one-trip statement commits with its answer, or rolls back whole when it fails", async () => {
  const text = "select set_config('rtc.probe', $1, false), 1 / $2::int";
  await run(VISITOR, text, ["first", 1]); // prepares it
  const probe = async () => (await pool.query("select current_setting('rtc.probe', true) as value")).rows[0].value;
  const failed = await sentWhile(() => run(VISITOR, text, ["second", 0]));
  expect(failed.error).toMatchObject({ code: "22012" });
  expect(failed.sent).toHaveLength(1); // the rollback is answered without a round trip
  expect(await probe()).toBe("first");
  await run(VISITOR, text, ["third", 1]);
  expect(await probe()).toBe("third");
});

test("the settings' statement_timeout holds for a one-trip statement", async () => {
  const text = "select pg_sleep($1::float8)";
  await run({ ...VISITOR, statement_timeout: "200" }, text, [0]);
  const slow = await sentWhile(() => run({ ...VISITOR, statement_timeout: "200" }, text, [2]));
  expect(slow.error).toMatchObject({ code: "57014" });
  expect(slow.sent).toHaveLength(1);
});

test("settings that fail stop the statement behind them, with their own error, in one trip or in a real transaction", async () => {
  const text = "select current_user::text";
  const unprepared = await sentWhile(() => run({ role: "postgres" }, "select session_user::text"));
  expect(unprepared.error).toMatchObject({ code: "42501" });
  expect(unprepared.sent.map((sent) => sent.split(" ")[0])).toEqual(["begin;", "rollback"]);
  await run(VISITOR, text);
  const oneTrip = await sentWhile(() => run({ role: "postgres" }, text));
  expect(oneTrip.error).toMatchObject({ code: "42501" });
  expect(oneTrip.sent).toHaveLength(1);
  expect((await run(VISITOR, text)).rows).toEqual([["rtc_visitor"]]);
});

test("a savepoint, values node-pg encodes itself, and a NUL character get a real transaction", async () => {
  const nested = await sentWhile(() =>
    withPgClient(VISITOR, (client: AdaptorClient) => client.withTransaction((tx) => tx.query({ text: "select current_user::text as role" }))),
  );
  expect(nested.result?.rows).toEqual([{ role: "rtc_visitor" }]);
  expect(nested.sent.map((sent) => sent.split(" ")[0])).toEqual(["begin;", "savepoint", "select", "release", "commit"]);

  const text = "select length($1::bytea)";
  await run(VISITOR, text, [Buffer.from([1, 2, 3])]);
  const bytes = await sentWhile(() => run(VISITOR, text, [Buffer.from([0, 1])]));
  expect(bytes.result?.rows).toEqual([[2]]);
  expect(bytes.sent.map((sent) => sent.split(" ")[0])).toEqual(["begin;", "execute", "commit"]);

  const nul = await sentWhile(() => run(VISITOR, "select $1::text", ["a\0b"]));
  expect(nul.error).toMatchObject({ code: "22021" }); // as node-pg's parameter gets it
});

test("statements PostGraphile does not name (mutations) are named here: one trip from their second run, at most 100 kept prepared", async () => {
  const unnamed = (text: string, values: unknown[]) => withPgClient(VISITOR, (client: AdaptorClient) => client.query({ text, values }));
  const text = "select $1::text as unnamed";
  await unnamed(text, ["a"]);
  const second = await sentWhile(() => unnamed(text, ["b"]));
  expect(second.result?.rows).toEqual([{ unnamed: "b" }]);
  expect(second.sent).toHaveLength(1);
  expect(second.sent[0]).toMatch(/; execute "rtc_statement_\d+"\('b'\)$/);

  for (let index = 0; index < 120; index++) await unnamed(`select $1::int + ${index} as unnamed`, [index]);
  const { rows } = await pool.query("select count(*)::int as kept from pg_prepared_statements where name like 'rtc_statement_%'");
  expect(rows[0].kept).toBe(100);
});

test("values travel as literals exactly, whatever quotes, backslashes and statements they hold", async () => {
  const text = "select $1::text as value";
  await run(VISITOR, text, ["prepare"]);
  for (const value of [`'); select pg_sleep(10); --`, `\\'; select 1; --`, `\\\\'`, `E'\\x41'`, `$$ $1 $$`, `ü 💬 \n\t`, ``]) {
    const { result, sent } = await sentWhile(() => run(VISITOR, text, [value]));
    expect(sent).toHaveLength(1);
    expect(result?.rows).toEqual([[value]]);
  }
});

test("settings travel as a literal exactly, whatever they hold", async () => {
  const text = "select current_setting('rtc.probe')";
  const odd = `$' $& $1 it's \\ "odd"`;
  for (let attempt = 0; attempt < 2; attempt++) {
    // The first run opens a real transaction, the second goes in one trip: both carry the settings the same way.
    expect((await run({ ...VISITOR, "rtc.probe": odd }, text)).rows).toEqual([[odd]]);
  }
});
