/**
 * `login` returns null, and `changePassword` / `deleteAccount` return false,
 * for a wrong password instead of raising, so that the failed attempt they
 * record (log-in throttling) is committed. This turns that result into the
 * client's error (RCRED), after the commit.
 */
import { SafeError, sideEffect, type ObjectStep } from "postgraphile/grafast";
import { wrapPlans } from "postgraphile/utils";

function failWith(message: string, failed: (result: unknown) => boolean) {
  return (plan: () => unknown) => {
    const $payload = plan() as ObjectStep<{ result: never }>;
    sideEffect($payload.get("result"), (result: unknown) => {
      if (failed(result)) throw new SafeError(message, { code: "RCRED" });
    });
    return $payload;
  };
}

export const LoginFailurePlugin = wrapPlans({
  Mutation: {
    login: failWith("Incorrect username/email or password.", (token) => token == null),
    changePassword: failWith("The current password is not correct.", (changed) => changed === false),
    deleteAccount: failWith("The password is not correct.", (deleted) => deleted === false),
  },
});
