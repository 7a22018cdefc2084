/** The API server starts on the test database and answers over real HTTP. */
import type { AddressInfo } from "node:net";
import { startApiServer, type ApiServer } from "../../src/server/http.ts";
import { testDatabaseUrls } from "../support/db.ts";

let api: ApiServer;
let base: string;

beforeAll(async () => {
  api = await startApiServer(testDatabaseUrls(), { port: 0, host: "127.0.0.1", graphiql: true });
  base = `http://127.0.0.1:${(api.server.address() as AddressInfo).port}`;
});
afterAll(() => api.close());

test("/healthz checks the database", async () => {
  const response = await fetch(`${base}/healthz`);
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ status: "ok", database: "ok" });
});

test("/graphql answers a query", async () => {
  const response = await fetch(`${base}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: "{ __typename }" }),
  });
  expect(await response.json()).toEqual({ data: { __typename: "Query" } });
});

test("the Ruru IDE is served at /", async () => {
  const response = await fetch(`${base}/`, { headers: { accept: "text/html" } });
  expect(response.status).toBe(200);
  expect(await response.text()).toMatch(/ruru/i);
});
