/**
 * A running worker keeps its process alive when graphile-worker lets a lost
 * database connection escape as an unhandled rejection (it records finished
 * jobs with a promise nobody awaits), and only then.
 */
import { jest } from "@jest/globals";
import { testDatabaseUrls } from "../support/db.ts";
import { startWorker } from "../../worker/runner.ts";

test("a lost connection escaping graphile-worker is survived; any other unhandled rejection still ends the process", async () => {
  const listenersBefore = process.listenerCount("unhandledRejection");
  const worker = await startWorker(testDatabaseUrls().owner);
  const errors = jest.spyOn(console, "error").mockImplementation(() => {});
  try {
    const lost = Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" });
    expect(() => process.emit("unhandledRejection", lost, Promise.resolve())).not.toThrow();
    expect(() => process.emit("unhandledRejection", new Error("Connection terminated unexpectedly"), Promise.resolve())).not.toThrow();
    expect(errors).toHaveBeenCalledTimes(2);
    const bug = new TypeError("a bug");
    expect(() => process.emit("unhandledRejection", bug, Promise.resolve())).toThrow(bug);
  } finally {
    errors.mockRestore();
    await worker.stop();
  }
  expect(process.listenerCount("unhandledRejection")).toBe(listenersBefore);
});
