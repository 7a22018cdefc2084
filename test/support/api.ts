/**
 * The real API server on the test database, and a GraphQL client that talks
 * to it over HTTP with a bearer token, as an app would.
 */
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import { startApiServer, type ApiServer } from "../../src/server/http.ts";
import { superuserPool, testDatabaseUrls } from "./db.ts";
import type { IceSettings } from "../../src/server/plugins/ice-servers.ts";
import type { Limits } from "../../src/config.ts";

export interface GraphQLResponse<T = Record<string, any>> {
  data?: T | null;
  errors?: Array<{ message: string; extensions?: { code?: string; constraint?: string } }>;
}

export interface GraphQLClient {
  url: string;
  gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GraphQLResponse<T>>;
}

export interface TestApi extends GraphQLClient {
  close(): Promise<void>;
}

/** GraphQL over HTTP POST to `${url}/graphql`, with an optional bearer token. */
export function graphqlClient(url: string): GraphQLClient {
  return {
    url,
    async gql(query, variables = {}, token) {
      const response = await fetch(`${url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as GraphQLResponse<any>;
    },
  };
}

/** No STUN or TURN: what a machine without any configured gets. */
export const NO_ICE_SERVERS: IceSettings = { stunUrls: [], turnUrls: [], turnSecret: undefined, turnCredentialSeconds: 3600 };

export async function startTestApi(
  options: { graphiql?: boolean; introspection?: boolean; ice?: IceSettings; limits?: Limits; webRoot?: string; trustedDocuments?: string } = {},
): Promise<TestApi> {
  const server: ApiServer = await startApiServer(testDatabaseUrls(), {
    port: 0,
    host: "127.0.0.1",
    graphiql: options.graphiql ?? false,
    introspection: options.introspection ?? true,
    ice: options.ice ?? NO_ICE_SERVERS,
    limits: options.limits,
    webRoot: options.webRoot,
    trustedDocuments: options.trustedDocuments,
  });
  return {
    ...graphqlClient(`http://127.0.0.1:${(server.server.address() as AddressInfo).port}`),
    close: () => server.close(),
  };
}

/** The error codes of a response, in order. */
export function errorCodes(response: GraphQLResponse): Array<string | undefined> {
  return (response.errors ?? []).map((error) => error.extensions?.code);
}

export interface RegisteredUser {
  id: string;
  token: string;
  username: string;
  email: string;
  password: string;
}

const REGISTER = `mutation Register($input: RegisterInput!) { register(input: $input) { result } }`;

/** Registers a user through the API (committed: remove with deleteRegisteredUsers). */
export async function registerUser(api: GraphQLClient, role: "male" | "female", overrides: Record<string, unknown> = {}): Promise<RegisteredUser> {
  const username = `${role}_${randomBytes(5).toString("hex")}`;
  const input = {
    username,
    email: `${username}@example.com`,
    password: "correct horse battery",
    role,
    displayName: username,
    age: 30,
    intent: "casual",
    ...overrides,
  };
  const response = await api.gql<{ register: { result: string } }>(REGISTER, { input });
  if (!response.data?.register) throw new Error(`register failed: ${JSON.stringify(response.errors)}`);
  const token = response.data.register.result;
  const me = await api.gql<{ currentUser: { rowId: string } }>("{ currentUser { rowId } }", {}, token);
  return { id: me.data!.currentUser.rowId, token, username: input.username, email: input.email, password: input.password };
}

export async function deleteUsers(usernames: string[]): Promise<void> {
  await superuserPool().query("delete from user_schema.users where username = any($1)", [usernames]);
}
