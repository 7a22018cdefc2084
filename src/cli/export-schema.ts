/** `npm run schema:export`: writes schema.graphql from the migrated database. */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { projectRoot } from "../config.ts";
import { startPostgres } from "../db/database.ts";
import { setupDatabase } from "../db/setup.ts";
import { generateSchemaSdl, SCHEMA_FILE } from "../server/schema-sdl.ts";

const postgres = await startPostgres();
try {
  const urls = await setupDatabase(postgres.superuserUrl);
  await writeFile(path.join(projectRoot, SCHEMA_FILE), await generateSchemaSdl(urls));
  console.log(`Wrote ${SCHEMA_FILE}.`);
} finally {
  await postgres.stop();
}
