/**
 * The catalog check (src/db/catalog.ts, `npm run db:check`): a fresh build
 * has nothing the repository does not define; a database upgraded from an
 * earlier release (objects that were deleted from sql/ since, then the
 * current deploy) has them reported, since re-running sql/ never drops.
 */
import pg from "pg";
import { undefinedObjects } from "../../src/db/catalog.ts";
import { deploy } from "../../src/db/deploy.ts";
import { databaseUrls } from "../../src/db/urls.ts";
import { superuserPool, testDatabaseUrls } from "../support/db.ts";
import { TEMPLATE_DATABASE } from "../support/names.ts";

const urlOf = (database: string) => Object.assign(new URL(testDatabaseUrls().superuser), { pathname: `/${database}` }).toString();
/** The reference: the template that global-setup.ts built fresh from migrations/ and sql/. */
const reference = urlOf(TEMPLATE_DATABASE);

test("a database built from the repository has no function, policy, trigger or grant it does not define", async () => {
  expect(await undefinedObjects(testDatabaseUrls().superuser, reference)).toEqual([]);
});

test("an upgraded database keeps what an earlier release defined, and the check reports each of them", async () => {
  const upgraded = `rtc_test_upgraded_${process.pid}`;
  await superuserPool().query(`create database ${upgraded} template ${TEMPLATE_DATABASE} owner rtc_owner`);
  try {
    const urls = databaseUrls(urlOf(upgraded));
    const earlier = new pg.Client({ connectionString: urls.superuser });
    await earlier.connect();
    try {
      // What an earlier release's sql/ defined and the current one no longer does.
      await earlier.query(`
        create policy everyone_reads on communication_schema.messages for select to rtc_user using (true);
        create function app_private.retired_helper() returns integer as 'select 1' language sql;
        create trigger retired_trigger before update on user_schema.profiles for each row execute function public.update_timestamp();
        grant select on interaction_schema.blocks to rtc_admin;
        update rtc_deploy.applied set hash = 'an earlier release';`);
    } finally {
      await earlier.end();
    }
    expect(await deploy(urls.owner)).toMatchObject({ changed: true });
    expect(await undefinedObjects(urls.superuser, reference)).toEqual([
      "function app_private.retired_helper()",
      "grant SELECT on interaction_schema.blocks to rtc_admin",
      "policy everyone_reads on communication_schema.messages",
      "trigger retired_trigger on user_schema.profiles",
    ]);
  } finally {
    await superuserPool().query(`drop database if exists ${upgraded} with (force)`);
  }
}, 60_000);
