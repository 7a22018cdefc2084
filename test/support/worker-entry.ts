/**
 * One worker process on the database OWNER_URL names, for the tests and
 * benchmarks that kill or multiply worker processes: worker/main.ts without
 * the database set-up (the database is ready; the set-up takes seconds).
 */
import { config } from "../../src/config.ts";
import { onShutdown } from "../../src/shutdown.ts";
import { startWorker } from "../../worker/runner.ts";

const ownerUrl = process.env.OWNER_URL;
if (!ownerUrl) throw new Error("OWNER_URL must name the database");
const worker = await startWorker(ownerUrl, config.worker);
console.log("worker ready");
onShutdown(() => worker.stop());
