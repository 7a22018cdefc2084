/**
 * The API server alone in its own process, for benchmarks that load it from
 * another process (test/bench/support.ts `startApiProcess`). Reads the
 * database URLs from BENCH_DATABASE_URLS, tells its parent the port it
 * listens on, and stops on SIGTERM (exiting normally, so --cpu-prof writes
 * its profile).
 */
import type { AddressInfo } from "node:net";
import type { DatabaseUrls } from "../../src/db/urls.ts";
import { startApiServer } from "../../src/server/http.ts";

const urls = JSON.parse(process.env.BENCH_DATABASE_URLS ?? "null") as DatabaseUrls | null;
if (!urls) throw new Error("BENCH_DATABASE_URLS is not set");
const api = await startApiServer(urls, { port: 0, host: "127.0.0.1", graphiql: false, introspection: false });
process.send!({ port: (api.server.address() as AddressInfo).port });
process.once("SIGTERM", () => {
  void api.close().then(() => process.exit(0));
});
