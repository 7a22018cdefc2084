/** The API server answers over real HTTP, in development and production settings. */
import { startTestApi, type TestApi } from "../support/api.ts";

describe("development settings", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ graphiql: true, introspection: true });
  });
  afterAll(() => api.close());

  test("/healthz checks the database", async () => {
    const response = await fetch(`${api.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok", database: "ok" });
  });

  test("/graphql answers queries, introspection included", async () => {
    expect(await api.gql("{ __typename }")).toEqual({ data: { __typename: "Query" } });
    expect((await api.gql("{ __schema { queryType { name } } }")).data).toEqual({ __schema: { queryType: { name: "Query" } } });
  });

  test("the Ruru IDE is served at /graphiql", async () => {
    const response = await fetch(`${api.url}/graphiql`, { headers: { accept: "text/html" } });
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/ruru/i);
  });

  test("a malformed or unknown bearer token gets 401 with code RSESS", async () => {
    for (const authorization of ["Bearer nonsense", `Bearer ${"0".repeat(64)}`]) {
      const response = await fetch(`${api.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization },
        body: JSON.stringify({ query: "{ __typename }" }),
      });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ errors: [{ message: "Your session has expired or was ended. Log in again.", extensions: { code: "RSESS" } }] });
    }
  });
});

describe("production settings (GRAPHIQL=false, INTROSPECTION=false)", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ graphiql: false, introspection: false });
  });
  afterAll(() => api.close());

  test("introspection is refused, ordinary queries work", async () => {
    expect((await api.gql("{ __schema { queryType { name } } }")).errors?.[0]?.message).toMatch(/introspection/i);
    expect(await api.gql("{ __typename }")).toEqual({ data: { __typename: "Query" } });
  });

  test("no IDE is served", async () => {
    const response = await fetch(`${api.url}/graphiql`, { headers: { accept: "text/html" } });
    expect(response.status).toBe(404);
  });
});
