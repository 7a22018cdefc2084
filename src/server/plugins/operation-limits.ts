/**
 * Limits on what one GraphQL operation may ask, applied by grafserv to every
 * operation before it runs, over HTTP and websockets alike (both share one
 * parse-and-validate step): depth, aliases, directives, cost (fragments
 * expanded; the graphql-armor rules), tokens, and at most one
 * password-hashing mutation. A refusal is a validation error with code
 * RLIMT, found before any SQL runs. In production, validation errors do not
 * suggest field names ("Did you mean ...?"), which would reveal the schema
 * that introspection hides. Subscriptions are served over websockets only:
 * a websocket closes when its session ends, an HTTP stream would not.
 */
import { costLimitRule } from "@escape.tech/graphql-armor-cost-limit";
import { maxAliasesRule } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthRule } from "@escape.tech/graphql-armor-max-depth";
import { maxDirectivesRule } from "@escape.tech/graphql-armor-max-directives";
import type { GraphQLArmorCallbackConfiguration } from "@escape.tech/graphql-armor-types";
import {
  getOperationAST,
  GraphQLError,
  Kind,
  type ASTVisitor,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
  visit,
  visitInParallel,
} from "postgraphile/graphql";
import type { Limits } from "../../config.ts";

export const LIMIT_CODE = "RLIMT";

/** Mutations that run bcrypt (cost 10, tens of milliseconds of database CPU each). */
const PASSWORD_HASHING_MUTATIONS = new Set(["register", "login", "changePassword", "deleteAccount", "resetPassword"]);

function limitError(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: LIMIT_CODE } });
}

/** graphql-armor reports through these callbacks instead of throwing out of `validate`. */
const reportWithCode: GraphQLArmorCallbackConfiguration = {
  propagateOnRejection: false,
  onReject: [(context, error) => context?.reportError(limitError(error.message.replace(/^Syntax Error: /, "")))],
};

/** Counts the document's lexical tokens (graphql-js links them), without parsing again. */
function maxTokensRule(maxTokens: number): ValidationRule {
  return (context) => {
    let count = 0;
    for (let token = context.getDocument().loc?.startToken ?? null; token; token = token.next) {
      if (++count > maxTokens) {
        context.reportError(limitError(`Token limit of ${maxTokens} exceeded.`));
        break;
      }
    }
    return {};
  };
}

/** Refuses an operation that would hash more than one password (register, login, ...). */
const onePasswordMutationRule: ValidationRule = (context: ValidationContext): ASTVisitor => {
  const count = (selectionSet: SelectionSetNode, seen: Set<string>): number => {
    let n = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) n += PASSWORD_HASHING_MUTATIONS.has(selection.name.value) ? 1 : 0;
      else if (selection.kind === Kind.INLINE_FRAGMENT) n += count(selection.selectionSet, seen);
      else if (!seen.has(selection.name.value)) {
        const fragment = context.getFragment(selection.name.value);
        if (fragment) n += count(fragment.selectionSet, new Set(seen).add(selection.name.value));
      }
    }
    return n;
  };
  return {
    OperationDefinition(operation) {
      if (operation.operation === "mutation" && count(operation.selectionSet, new Set()) > 1) {
        context.reportError(limitError("At most one of register, login, changePassword, deleteAccount and resetPassword per request."));
      }
    },
  };
};

function operationLimitRules(limits: Limits["graphql"]): ValidationRule[] {
  return [
    maxTokensRule(limits.maxTokens),
    maxDepthRule({ n: limits.maxDepth, ignoreIntrospection: true, ...reportWithCode }),
    maxAliasesRule({ n: limits.maxAliases, ...reportWithCode }),
    maxDirectivesRule({ n: limits.maxDirectives, ...reportWithCode }),
    costLimitRule({ maxCost: limits.maxCost, ...reportWithCode }),
    onePasswordMutationRule,
  ] as ValidationRule[];
}

/**
 * One validation rule that checks the limits first, on the whole document,
 * and only when they hold runs `rules` (the GraphQL specification's and any
 * other): an oversized document costs the limit checks alone, never the
 * specification rules that are slow on it (fragments spread many times).
 */
export function limitsFirst(limits: Limits["graphql"], rules: readonly ValidationRule[]): ValidationRule {
  const limitRules = operationLimitRules(limits);
  return (context) => {
    const exceeded: GraphQLError[] = [];
    const probe: ValidationContext = Object.create(context, { reportError: { value: (error: GraphQLError) => exceeded.push(error) } });
    visit(context.getDocument(), visitInParallel(limitRules.map((rule) => rule(probe))));
    if (exceeded.length > 0) {
      for (const error of exceeded) context.reportError(error);
      return {};
    }
    return visitInParallel(rules.map((rule) => rule(context)));
  };
}

const SUGGESTION = /\s*Did you mean .+\?/g;

/** graphql-js suggests names of fields, arguments and types in its validation errors. */
function withoutSuggestions(errors: readonly GraphQLError[]): readonly GraphQLError[] {
  return errors.map((error) => {
    const message = error.message.replace(SUGGESTION, "");
    return message === error.message ? error : new GraphQLError(message, { nodes: error.nodes, extensions: error.extensions });
  });
}

export function makeOperationLimitsPlugin(limits: Limits["graphql"], options: { suggestions: boolean }): GraphileConfig.Plugin {
  return {
    name: "OperationLimitsPlugin",
    version: "1.0.0",
    grafserv: {
      middleware: {
        setPreset(next, event) {
          event.validationRules.push(limitsFirst(limits, event.validationRules.splice(0)));
          if (!options.suggestions) {
            const getExecutionConfig = event.getExecutionConfig;
            event.getExecutionConfig = async function (ctx) {
              const config = await getExecutionConfig.call(this, ctx);
              const parseAndValidate = config.parseAndValidate;
              return {
                ...config,
                parseAndValidate(query: string) {
                  const result = parseAndValidate(query);
                  return result.errors ? { errors: withoutSuggestions(result.errors) } : result;
                },
              };
            };
          }
          return next();
        },
      },
    },
    grafast: {
      middleware: {
        execute(next, event) {
          const { args } = event;
          if (args.requestContext?.http && getOperationAST(args.document, args.operationName)?.operation === "subscription") {
            return {
              errors: [new GraphQLError("Subscriptions are served over websockets only (graphql-ws, same path).", { extensions: { code: "RWSUB" } })],
            };
          }
          return next();
        },
      },
    },
  };
}
