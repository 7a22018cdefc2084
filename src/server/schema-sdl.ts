/** The GraphQL schema that the database generates, as printed SDL (schema.graphql). */
import { makeSchema } from "postgraphile";
import { lexicographicSortSchema, printSchema } from "postgraphile/graphql";
import type { DatabaseUrls } from "../db/urls.ts";
import { makePreset } from "./preset.ts";

export const SCHEMA_FILE = "schema.graphql";

export async function generateSchemaSdl(urls: DatabaseUrls): Promise<string> {
  const notServing = () => Promise.reject(new Error("the schema is only printed, not served"));
  const { schema, resolvedPreset } = await makeSchema(makePreset(urls, { graphiql: false, introspection: true, sessionLookup: notServing }));
  for (const service of resolvedPreset.pgServices ?? []) await service.release?.();
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
