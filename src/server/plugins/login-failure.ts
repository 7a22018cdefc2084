/**
 * `login` returns null for a wrong password or unknown user instead of
 * raising, so that the failed attempt it records (log-in throttling) is
 * committed. This turns that null into the client's error, after the commit.
 */
import { SafeError, sideEffect, type ObjectStep } from "postgraphile/grafast";
import { wrapPlans } from "postgraphile/utils";

export const LoginFailurePlugin = wrapPlans({
  Mutation: {
    login(plan) {
      const $payload = plan() as ObjectStep<{ result: never }>;
      sideEffect($payload.get("result"), (token: string | null) => {
        if (token == null) {
          throw new SafeError("Incorrect username/email or password.", { code: "RCRED" });
        }
      });
      return $payload;
    },
  },
});
