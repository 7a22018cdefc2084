/**
 * The API's pool sends PostGraphile's `begin` and its settings query as one
 * round trip (src/server/one-trip-begin.ts): the same transaction, the same
 * settings, one query fewer.
 */
import pg from "pg";
import { makePgAdaptorWithPgClient } from "postgraphile/adaptors/pg";
import { openTransactionsInOneTrip } from "../../src/server/one-trip-begin.ts";
import { testDatabaseUrls } from "../support/db.ts";

/** The settings query of @dataplan/pg's node-postgres adaptor. */
const SET_SETTINGS = "select set_config(el->>0, el->>1, true) from json_array_elements($1::json) el";

let pool: pg.Pool;
beforeAll(() => {
  pool = openTransactionsInOneTrip(new pg.Pool({ connectionString: testDatabaseUrls().authenticator, max: 1 }));
});
afterAll(() => pool.end());

/** The simple queries the client sends to Postgres while `run` runs. */
async function simpleQueriesOf(client: pg.PoolClient, run: () => Promise<void>): Promise<string[]> {
  const connection = (client as unknown as { connection: { query(text: string): void } }).connection;
  const sent: string[] = [];
  const original = connection.query;
  connection.query = function (text: string) {
    sent.push(text);
    return original.call(this, text);
  };
  try {
    await run();
  } finally {
    connection.query = original;
  }
  return sent;
}

test("PostGraphile's begin and settings go out together; the settings hold in the transaction only, quotes and all", async () => {
  const withPgClient = makePgAdaptorWithPgClient(pool);
  const client = await pool.connect(); // the pool's only client: the one withPgClient takes
  const odd = `it's \\ "odd"`;
  let inside: unknown;
  let sent: string[];
  try {
    sent = await simpleQueriesOf(client, async () => {
      client.release();
      inside = await withPgClient({ role: "rtc_visitor", "rtc.user_agent": odd }, async (pgClient) =>
        (await pgClient.query({ text: "select current_user as role, current_setting('rtc.user_agent') as agent" })).rows[0],
      );
    });
  } finally {
    withPgClient.release?.();
  }
  expect(inside).toEqual({ role: "rtc_visitor", agent: odd });
  // (The adaptor sets its jit option once per connection.)
  expect(sent.filter((text) => !text.startsWith("set jit")).map((text) => text.split(" ")[0])).toEqual(["begin;", "select", "commit"]);
  expect((await pool.query("select current_user as role, current_setting('rtc.user_agent', true) as agent")).rows[0]).toEqual({ role: "rtc_authenticator", agent: "" });
});

test("settings that fail roll back cleanly, and a begin followed by another query is sent on its own", async () => {
  const client = await pool.connect();
  try {
    await client.query({ text: "begin" });
    await expect(client.query({ text: SET_SETTINGS, values: [JSON.stringify([["role", "postgres"]])] })).rejects.toMatchObject({ code: "42501" });
    await client.query({ text: "rollback" });
    const sent = await simpleQueriesOf(client, async () => {
      await client.query({ text: "begin" });
      await client.query("select 1");
      await client.query({ text: "commit" });
    });
    expect(sent).toEqual(["begin", "select 1", "commit"]);
  } finally {
    client.release();
  }
});
