/**
 * Refuses introspection queries (`__schema`, `__type`), for production
 * deployments that do not publish their schema (INTROSPECTION=false).
 * grafserv validates HTTP and websocket operations with the same rules.
 */
import { NoSchemaIntrospectionCustomRule } from "postgraphile/graphql";

export const NoIntrospectionPlugin: GraphileConfig.Plugin = {
  name: "NoIntrospectionPlugin",
  version: "1.0.0",
  grafserv: {
    middleware: {
      setPreset(next, event) {
        event.validationRules.push(NoSchemaIntrospectionCustomRule);
        return next();
      },
    },
  },
};
