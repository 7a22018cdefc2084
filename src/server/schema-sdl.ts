/** The GraphQL schema that the database generates, as printed SDL (schema.graphql). */
import { makeSchema } from "postgraphile";
import { lexicographicSortSchema, printSchema } from "postgraphile/graphql";
import type { DatabaseUrls } from "../db/urls.ts";
import { makePreset } from "./preset.ts";
import { SessionSockets } from "./session-sockets.ts";
import { config } from "../config.ts";

export const SCHEMA_FILE = "schema.graphql";

export async function generateSchemaSdl(urls: DatabaseUrls): Promise<string> {
  const notServing = () => Promise.reject(new Error("the schema is only printed, not served"));
  const preset = makePreset(urls, { graphiql: false, introspection: true, sessionLookup: notServing, sessionSockets: new SessionSockets(), limits: config.limits });
  const { schema, resolvedPreset } = await makeSchema(preset);
  for (const service of resolvedPreset.pgServices ?? []) await service.release?.();
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
