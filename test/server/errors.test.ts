/** What a client sees of a database error (src/server/errors.ts). */
import { jest } from "@jest/globals";
import { GraphQLError } from "postgraphile/graphql";
import { makeMaskError, type ConstraintRules } from "../../src/server/errors.ts";

const rules: ConstraintRules = new Map([
  ["user_schema.profiles.profiles_location_city_at_most_100_characters", { field: "locationCity", rule: "must have at most 100 characters" }],
  ["communication_schema.messages.messages_media_has_https_url", { rule: "an image, video or voice message needs an https URL in metadata.url" }],
  ["user_schema.users.users_username_key", { field: "username" }],
]);
const maskError = makeMaskError(rules);

function databaseError(code: string, message: string, details: Record<string, string> = {}): GraphQLError {
  const original = Object.assign(new Error(message), { code, ...details });
  return new GraphQLError(message, { originalError: original, path: ["field"] });
}

test("our rule violations pass with their code and message", () => {
  const masked = maskError(databaseError("RPAIR", "A call or connection needs one male and one female participant."));
  expect(masked.message).toBe("A call or connection needs one male and one female participant.");
  expect(masked.extensions).toEqual({ code: "RPAIR" });
  expect(masked.path).toEqual(["field"]);
});

test.each([
  [
    "a CHECK naming its column",
    databaseError("23514", 'new row for relation "profiles" violates check constraint', { schema: "user_schema", table: "profiles", constraint: "profiles_location_city_at_most_100_characters" }),
    "locationCity must have at most 100 characters.",
    { code: "RINVL", field: "locationCity" },
  ],
  [
    "a CHECK over several columns",
    databaseError("23514", "violates check constraint", { schema: "communication_schema", table: "messages", constraint: "messages_media_has_https_url" }),
    "An image, video or voice message needs an https URL in metadata.url.",
    { code: "RINVL" },
  ],
  [
    "a UNIQUE violation",
    databaseError("23505", "duplicate key value violates unique constraint", { schema: "user_schema", table: "users", constraint: "users_username_key" }),
    "username is already taken.",
    { code: "RDUPL", field: "username" },
  ],
  ["a NOT NULL violation", databaseError("23502", 'null value in column "short_bio"', { column: "short_bio" }), "shortBio is required.", { code: "RNULL", field: "shortBio" }],
  ["a value too long", databaseError("22001", "value too long for type character varying(50)"), "A value is too long.", { code: "RLONG" }],
  ["a NUL character", databaseError("22P05", "unsupported Unicode escape sequence"), "Text cannot contain the NUL character (\\u0000).", { code: "RNULC" }],
  ["a refused privilege", databaseError("42501", "permission denied for table users"), "You are not allowed to do that.", { code: "RDENY" }],
])("%s gets a code and a plain message without internal names", (_label, error, message, extensions) => {
  const masked = maskError(error);
  expect(masked.message).toBe(message);
  expect(masked.extensions).toEqual(extensions);
});

test("anything else is masked", () => {
  const spy = jest.spyOn(console, "error").mockImplementation(() => {});
  const masked = maskError(databaseError("XX000", "internal detail: /var/lib/secret"));
  spy.mockRestore();
  expect(masked.message).not.toContain("secret");
  expect(masked.message).toMatch(/An error occurred/);
});
