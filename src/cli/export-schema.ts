/** `npm run schema:export`: writes schema.graphql from the migrated database. */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { projectRoot } from "../config.ts";
import { prepareSchema, requireUrls, runCommand } from "../db/database.ts";
import { generateSchemaSdl, SCHEMA_FILE } from "../server/schema-sdl.ts";

await runCommand(async (postgres) => {
  if (await prepareSchema(postgres, console.log)) {
    await writeFile(path.join(projectRoot, SCHEMA_FILE), await generateSchemaSdl(requireUrls(postgres)));
    console.log(`Wrote ${SCHEMA_FILE}.`);
  } else {
    process.exitCode = 1;
  }
});
