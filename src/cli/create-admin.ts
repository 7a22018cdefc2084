/**
 * `npm run create-admin -- <username> <email>`: creates an admin account
 * (admins are never created through the API). The password is read from
 * ADMIN_PASSWORD, or asked for on the terminal.
 */
import { createInterface } from "node:readline/promises";
import pg from "pg";
import { prepareSchema, requireUrl, startPostgres } from "../db/database.ts";

const [username, email] = process.argv.slice(2);
if (!username || !email) {
  console.error("Usage: npm run create-admin -- <username> <email>   (password from ADMIN_PASSWORD or the prompt)");
  process.exit(2);
}
const password = process.env.ADMIN_PASSWORD ?? (await ask("Password (at least 10 characters): "));

const postgres = await startPostgres();
try {
  if (!(await prepareSchema(postgres, console.log))) {
    process.exitCode = 1;
  } else {
    const owner = new pg.Client({ connectionString: requireUrl(postgres, "owner") });
    await owner.connect();
    try {
      const { rows } = await owner.query("select app_private.create_admin($1, $2, $3) as id", [username, email, password]);
      console.log(`Admin "${username}" created (id ${rows[0].id}).`);
    } catch (error) {
      console.error(`Not created: ${(error as Error).message}`);
      process.exitCode = 1;
    } finally {
      await owner.end();
    }
  }
} finally {
  await postgres.stop();
}

async function ask(question: string): Promise<string> {
  const terminal = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return await terminal.question(question);
  } finally {
    terminal.close();
  }
}
