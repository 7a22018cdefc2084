/**
 * The PostGraphile preset: which schemas become the GraphQL API, how it is
 * served, and how each request becomes a database role.
 */
import { makePgService } from "postgraphile/adaptors/pg";
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { PgSimplifyInflectionPreset } from "@graphile/simplify-inflection";
import type { DatabaseUrls } from "../db/urls.ts";
import { maskError } from "./errors.ts";

/** The database schemas whose granted tables and functions form the API. */
export const API_SCHEMAS = ["user_schema", "interaction_schema", "communication_schema"];

export interface PresetOptions {
  /** Serve the Ruru GraphQL IDE (development). */
  graphiql: boolean;
}

export function makePreset(urls: DatabaseUrls, options: PresetOptions): GraphileConfig.Preset {
  return {
    extends: [PostGraphileAmberPreset, PgSimplifyInflectionPreset],
    pgServices: [
      makePgService({
        connectionString: urls.authenticator,
        superuserConnectionString: urls.owner,
        schemas: API_SCHEMAS,
        pubsub: true,
      }),
    ],
    grafserv: {
      graphqlPath: "/graphql",
      graphiqlPath: "/",
      graphiql: options.graphiql,
      graphiqlOnGraphQLGET: options.graphiql,
      websockets: true,
      maskError,
    },
    grafast: {
      // Authentication arrives with the accounts issue; until then every
      // request is an anonymous visitor.
      context: () => ({ pgSettings: { role: "rtc_visitor" } }),
    },
  };
}
