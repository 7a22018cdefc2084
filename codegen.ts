/**
 * GraphQL Code Generator (`npm run codegen`): typed documents for the typed
 * client example (test/client/story.ts) from schema.graphql. Run it after
 * `npm run schema:export` or after changing an operation there; the type
 * check then proves the example still fits the schema.
 */
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: "schema.graphql",
  documents: ["test/client/**/*.ts", "!test/client/graphql/**"],
  generates: {
    "test/client/graphql/": {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: {
        enumsAsTypes: true,
        useTypeImports: true,
        importExtension: ".ts",
        scalars: { UUID: "string", Datetime: "string", Date: "string", Cursor: "string", BigInt: "string", JSON: "unknown" },
      },
    },
  },
};
export default config;
