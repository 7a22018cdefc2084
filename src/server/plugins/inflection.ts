/**
 * Names without schema prefixes: PostGraphile prefixes everything outside the
 * first exposed schema (`interactionSchemaConnections`). Our table and
 * function names are unique across the exposed schemas, so the prefix only
 * adds noise.
 */
export const NoSchemaPrefixPlugin: GraphileConfig.Plugin = {
  name: "NoSchemaPrefixPlugin",
  version: "1.0.0",
  inflection: {
    replace: {
      _schemaPrefix() {
        return "";
      },
    },
  },
};
