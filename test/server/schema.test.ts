/** The committed schema.graphql is what the database generates. */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { projectRoot } from "../../src/config.ts";
import { generateSchemaSdl, SCHEMA_FILE } from "../../src/server/schema-sdl.ts";
import { testDatabaseUrls } from "../support/db.ts";

test(`${SCHEMA_FILE} is up to date (else run: npm run schema:export)`, async () => {
  const committed = await readFile(path.join(projectRoot, SCHEMA_FILE), "utf8");
  expect(await generateSchemaSdl(testDatabaseUrls())).toBe(committed);
});

test("no type exposes a password hash or a token hash", async () => {
  const committed = await readFile(path.join(projectRoot, SCHEMA_FILE), "utf8");
  expect(committed).not.toMatch(/passwordHash|tokenHash/);
});
