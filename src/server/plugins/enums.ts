/**
 * The database's enum types as GraphQL enums. Their values keep the
 * database's spelling, except `-`, which GraphQL names cannot hold: the
 * device status `in-call` is `in_call`. Postgres enum values have no comments
 * of their own, so each enum type's comment documents its values with one
 * `@value <label> <description>` line per value, put here on the GraphQL
 * enum values.
 */
import { isEnumCodec } from "postgraphile/@dataplan/pg";

export const EnumsPlugin: GraphileConfig.Plugin = {
  name: "EnumsPlugin",
  version: "1.0.0",
  inflection: {
    replace: {
      enumValue(previous, _options, value, codec) {
        return previous!(value.replace(/-/g, "_"), codec);
      },
    },
  },
  gather: {
    hooks: {
      pgCodecs_PgCodec(_info, { pgCodec }) {
        const lines = pgCodec.extensions?.tags?.value;
        if (!isEnumCodec(pgCodec) || lines === undefined) return;
        const descriptions = new Map(
          (Array.isArray(lines) ? lines : [lines]).map((line) => {
            const [label, ...words] = String(line).split(" ");
            return [label, words.join(" ")] as const;
          }),
        );
        for (const value of pgCodec.values) {
          const description = descriptions.get(value.value);
          if (description) value.description = description;
        }
      },
    },
  },
};
