/**
 * A list's `first` / `last` may not exceed the configured page size
 * (GRAPHQL_MAX_PAGE_SIZE); a larger value is refused with code RPAGE before
 * any SQL runs, whether it is written in the query or passed as a variable.
 */
import { lambda, SafeError } from "postgraphile/grafast";

export function makePageSizePlugin(maxPageSize: number): GraphileConfig.Plugin {
  const checked = (n: number | null | undefined) => {
    if (n != null && n > maxPageSize) {
      throw new SafeError(`At most ${maxPageSize} items per page (first / last).`, { code: "RPAGE" });
    }
    return n;
  };
  return {
    name: "PageSizePlugin",
    version: "1.0.0",
    after: ["PgFirstLastBeforeAfterArgsPlugin"],
    schema: {
      hooks: {
        GraphQLObjectType_fields_field_args_arg(arg, _build, context) {
          const { argName, isPgFieldConnection, isPgFieldSimpleCollection } = context.scope;
          if (!(isPgFieldConnection || isPgFieldSimpleCollection) || (argName !== "first" && argName !== "last") || !arg.applyPlan) {
            return arg;
          }
          return {
            ...arg,
            applyPlan(_parent, $list: any, value) {
              const $n = lambda(value.getRaw(), checked);
              if (argName === "first") $list.setFirst($n);
              else $list.setLast($n);
            },
          };
        },
      },
    },
  };
}
