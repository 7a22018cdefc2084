/**
 * Deny by default: row-level security is on for every table, and the roles the
 * API switches to can neither read a table nor call a function until a later
 * grant says so.
 */
import pg from "pg";
import { actAs, expectSqlError, testDatabaseUrls, withRollback } from "../support/db.ts";

const API_ROLES = ["rtc_visitor", "rtc_user", "rtc_admin"];
const PRIVATE_FUNCTIONS = [
  "public.get_connection_partner(uuid, uuid)",
  "public.is_female_user(uuid)",
  "public.cleanup_expired_sessions()",
  "public.cleanup_old_interactions(integer)",
  "app_private.female_of_pair(uuid, uuid)",
];

async function tables(): Promise<string[]> {
  return withRollback(async (client) => {
    const { rows } = await client.query(`
      select c.oid::regclass::text as name
        from pg_class c
       where c.relkind in ('r', 'p')
         and c.relnamespace::regnamespace::text in ('user_schema', 'interaction_schema', 'communication_schema', 'analytics_schema', 'app_private')
       order by 1`);
    return rows.map((row) => row.name);
  });
}

test("row-level security is enabled on every table", () =>
  withRollback(async (client) => {
    const { rows } = await client.query(`
      select c.oid::regclass::text as name
        from pg_class c
       where c.relkind in ('r', 'p') and not c.relrowsecurity
         and c.relnamespace::regnamespace::text in ('user_schema', 'interaction_schema', 'communication_schema', 'analytics_schema', 'app_private')`);
    expect(rows).toEqual([]);
    expect((await tables()).length).toBe(9);
  }));

test.each(API_ROLES)("%s can read no table", async (role) => {
  for (const table of await tables()) {
    await withRollback(async (client) => {
      await actAs(client, { role });
      const error = await expectSqlError(client, `select * from ${table}`);
      expect({ table, code: error.code }).toEqual({ table, code: "42501" }); // insufficient_privilege
    });
  }
});

test.each(API_ROLES)("%s can call none of the internal functions", (role) =>
  withRollback(async (client) => {
    await actAs(client, { role });
    for (const fn of PRIVATE_FUNCTIONS) {
      const args = fn.replace(/^[^(]*\(|\)$/g, "").split(", ").filter(Boolean).map((type) => `null::${type}`);
      const error = await expectSqlError(client, `select ${fn.replace(/\(.*/, "")}(${args.join(", ")})`);
      expect({ fn, code: error.code }).toEqual({ fn, code: "42501" });
    }
  }));

test("the authenticator logs in but can do nothing until it switches role", async () => {
  const client = new pg.Client({ connectionString: testDatabaseUrls().authenticator });
  await client.connect();
  try {
    await expect(client.query("select * from user_schema.users")).rejects.toMatchObject({ code: "42501" });
    await expect(client.query("set role rtc_owner")).rejects.toMatchObject({ code: "42501" });
  } finally {
    await client.end();
  }
});
