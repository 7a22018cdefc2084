/**
 * The catalog check (`npm run db:check`): the functions, policies, triggers
 * and grants of the app's schemas that the repository does not define. Re-
 * running sql/ creates and replaces but never removes, so a definition
 * deleted from sql/ (or a function whose arguments changed) stays in every
 * database that was upgraded rather than built fresh; a forgotten permissive
 * policy silently widens access. What the repository defines is what a fresh
 * build has: the check compares the database with a reference built from
 * migrations/ and sql/ alone. Dropping is done by a committed migration.
 */
import pg from "pg";
import { API_SCHEMAS } from "../server/preset.ts";

/** Every schema of ours: the API's, app_private, and public (the seed's functions). */
export const APP_SCHEMAS = [...API_SCHEMAS, "app_private", "public"];

/** One line per function, policy, trigger and grant in the app's schemas (extensions' own objects left out). */
const CATALOG = `
  with app as (select oid, nspname from pg_namespace where nspname = any($1)),
  functions as (
    select p.oid, p.proacl, p.oid::regprocedure::text as name
      from pg_proc p join app on app.oid = p.pronamespace
     where not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
  ),
  relations as (
    select c.oid, c.relacl, c.oid::regclass::text as name from pg_class c join app on app.oid = c.relnamespace
     where c.relkind in ('r', 'p', 'v', 'm', 'S')
  )
  select 'function ' || name from functions
  union all
  select 'policy ' || p.polname || ' on ' || p.polrelid::regclass::text from pg_policy p join relations r on r.oid = p.polrelid
  union all
  select 'trigger ' || t.tgname || ' on ' || r.name from pg_trigger t join relations r on r.oid = t.tgrelid where not t.tgisinternal
  union all
  select 'grant ' || a.privilege_type || ' on function ' || f.name || ' to ' || coalesce(g.rolname, 'public')
    from functions f, aclexplode(f.proacl) a left join pg_roles g on g.oid = a.grantee
  union all
  select 'grant ' || a.privilege_type || ' on ' || r.name || ' to ' || coalesce(g.rolname, 'public')
    from relations r, aclexplode(r.relacl) a left join pg_roles g on g.oid = a.grantee
  union all
  select 'grant ' || a.privilege_type || ' (' || att.attname || ') on ' || r.name || ' to ' || coalesce(g.rolname, 'public')
    from relations r join pg_attribute att on att.attrelid = r.oid and att.attnum > 0 and not att.attisdropped,
         aclexplode(att.attacl) a left join pg_roles g on g.oid = a.grantee
  union all
  select 'grant ' || a.privilege_type || ' on schema ' || n.nspname || ' to ' || coalesce(g.rolname, 'public')
    from pg_namespace n join app on app.oid = n.oid, aclexplode(n.nspacl) a left join pg_roles g on g.oid = a.grantee`;

export async function catalogOf(url: string): Promise<Set<string>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ line: string }>(`select line from (${CATALOG}) as catalog(line)`, [APP_SCHEMAS]);
    return new Set(rows.map((row) => row.line));
  } finally {
    await client.end();
  }
}

/** What `url`'s database has that the reference (a fresh build of this code) does not, sorted. */
export async function undefinedObjects(url: string, referenceUrl: string): Promise<string[]> {
  const [actual, reference] = await Promise.all([catalogOf(url), catalogOf(referenceUrl)]);
  return [...actual].filter((line) => !reference.has(line)).sort();
}
