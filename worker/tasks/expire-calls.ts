/** Ends calls past their join window or maximum duration (outcome timeout). */
import type { Task } from "graphile-worker";

export const expireCalls: Task<"expire_calls"> = async (_payload, helpers) => {
  await helpers.query("select app_private.expire_overdue_calls()");
};
