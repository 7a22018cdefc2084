/**
 * User.email: no API role may select the column (an admin lists accounts
 * but never reads anyone's email), so the field reads it through
 * app_private.own_email(id), which answers for the logged-in user's own
 * account and is null for any other (sql/user_schema/users.sql).
 */
import { TYPES, type PgSelectSingleStep } from "postgraphile/@dataplan/pg";
import { sql } from "postgraphile/pg-sql2";
import { extendSchema, gql } from "postgraphile/utils";

export const OwnEmailPlugin = extendSchema({
  typeDefs: gql`
    extend type User {
      "Email address, unique ignoring case: your own; null on anyone else's account."
      email: String
    }
  `,
  objects: {
    User: {
      plans: {
        email($user: PgSelectSingleStep) {
          return $user.select(sql`app_private.own_email(${$user.getClassStep().alias}.id)`, TYPES.text);
        },
      },
    },
  },
});
