/**
 * What the benchmarks' load generators use to act as apps: users written
 * straight into the database (registering through the API would spend the
 * setup in bcrypt), GraphQL over keep-alive HTTP, graphql-ws websockets.
 */
import http from "node:http";
import { randomBytes } from "node:crypto";
import type pg from "pg";
import { createClient, type Client } from "graphql-ws";

export interface BenchUser {
  id: string;
  token: string;
}

/** A user with a profile and an online session (the bearer token is the 64-hex string, stored as its sha256, as log-in does). */
export async function createUserWithSession(owner: pg.ClientBase, username: string, role: "male" | "female"): Promise<BenchUser> {
  const { rows } = await owner.query<{ id: string }>(
    `with new_user as (
       insert into user_schema.users (username, email, password_hash, role)
       values ($1::text, $1::text || '@example.com', 'x', $2) returning id
     ), profile as (
       insert into user_schema.profiles (user_id, display_name, age) select id, $1::text, 30 from new_user
     )
     select id from new_user`,
    [username, role],
  );
  const id = rows[0]!.id;
  return { id, token: await createSession(owner, id) };
}

/** Another online session (device) of a user; returns its bearer token. */
export async function createSession(owner: pg.ClientBase, userId: string): Promise<string> {
  const token = randomBytes(32).toString("hex");
  await owner.query(
    `insert into user_schema.user_sessions (user_id, token_hash, status, expires_at)
     values ($1, sha256(convert_to($2, 'utf8')), 'online', now() + interval '1 hour')`,
    [userId, token],
  );
  return token;
}

/** A graphql-ws client with a bearer token; connects at once unless lazy. */
export function connect(apiUrl: string, token: string, lazy = false, onConnected?: () => void): Client {
  return createClient({
    url: apiUrl.replace(/^http/, "ws") + "/graphql",
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    lazy,
    retryAttempts: 0,
    on: onConnected ? { connected: onConnected } : undefined,
  });
}

/**
 * One GraphQL request over HTTP (through `agent`, keep-alive). A kept-alive
 * socket the server closed while idle fails at once with ECONNRESET; such a
 * request is sent again on a new socket, as Node's documentation advises.
 */
export function postGraphQL(apiUrl: string, agent: http.Agent, query: string, variables: object, token: string, retry = true): Promise<{ data?: any; errors?: unknown }> {
  const body = JSON.stringify({ query, variables });
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${apiUrl}/graphql`,
      {
        method: "POST",
        agent,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), authorization: `Bearer ${token}` },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")));
          } catch (error) {
            reject(error as Error);
          }
        });
        response.on("error", reject);
      },
    );
    request.on("error", (error: NodeJS.ErrnoException) => {
      if (retry && request.reusedSocket && error.code === "ECONNRESET") resolve(postGraphQL(apiUrl, agent, query, variables, token, false));
      else reject(error);
    });
    request.end(body);
  });
}

/** Calls `act(n)` at `rate` per second for `seconds`, open loop (whether or not earlier calls finished); resolves with every call's promise. */
export async function offerOpenLoop<T>(rate: number, seconds: number, act: (n: number) => Promise<T>): Promise<Array<Promise<T>>> {
  const total = Math.round(rate * seconds);
  const calls: Array<Promise<T>> = [];
  const start = performance.now();
  while (calls.length < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate) + 1);
    while (calls.length < due) {
      const call = act(calls.length);
      call.catch(() => {}); // the caller reads the outcome later
      calls.push(call);
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return calls;
}
