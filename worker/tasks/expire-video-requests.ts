/** Marks pending video requests past their expiry expired (both sides are told). */
import type { Task } from "graphile-worker";

export const expireVideoRequests: Task<"expire_video_requests"> = async (_payload, helpers) => {
  await helpers.query("select app_private.expire_video_requests()");
};
