/** What a client sees of a database error (src/server/errors.ts). */
import { jest } from "@jest/globals";
import { GraphQLError } from "postgraphile/graphql";
import { maskError } from "../../src/server/errors.ts";

function databaseError(code: string, message: string, constraint?: string): GraphQLError {
  const original = Object.assign(new Error(message), { code, constraint });
  return new GraphQLError(message, { originalError: original, path: ["field"] });
}

test("our rule violations pass with their code", () => {
  const masked = maskError(databaseError("RPAIR", "A call or connection needs one male and one female participant."));
  expect(masked.message).toBe("A call or connection needs one male and one female participant.");
  expect(masked.extensions).toEqual({ code: "RPAIR" });
  expect(masked.path).toEqual(["field"]);
});

test("integrity violations pass with their code and constraint", () => {
  const masked = maskError(databaseError("23505", "duplicate key value violates unique constraint", "unique_user_connection"));
  expect(masked.extensions).toEqual({ code: "23505", constraint: "unique_user_connection" });
});

test("missing privileges pass with code 42501", () => {
  expect(maskError(databaseError("42501", "permission denied for table users")).extensions).toEqual({ code: "42501" });
});

test("anything else is masked", () => {
  const spy = jest.spyOn(console, "error").mockImplementation(() => {});
  const masked = maskError(databaseError("XX000", "internal detail: /var/lib/secret"));
  spy.mockRestore();
  expect(masked.message).not.toContain("secret");
  expect(masked.message).toMatch(/An error occurred/);
});
