/**
 * GraphQL over websockets (graphql-ws) for the API, with grafserv's own
 * operation handling (makeGraphQLWSConfig: the same context, validation rules
 * and error masking as HTTP) but our own websocket server, because grafserv's
 * accepts messages of any size (the `ws` default is 100 MiB). Limits
 * (README "Limits"):
 * - a message larger than WS_MAX_MESSAGE_BYTES closes the socket (1009)
 *   before it is parsed, logged in or not;
 * - one network address keeps at most WS_MAX_ANONYMOUS_SOCKETS_PER_ADDRESS
 *   sockets open whose connection_init carried no valid session (one more is
 *   closed at connection_init, code 4403; graphql-ws closes a socket that
 *   sends no connection_init within 3 s);
 * - a socket holds at most WS_MAX_SUBSCRIPTIONS_PER_SOCKET live
 *   subscriptions, a user at most WS_MAX_SUBSCRIPTIONS_PER_USER over all
 *   their sockets (in this process); one more is refused with code RSUBS.
 * Each subscription is one LISTEN channel of the process's PgSubscriber,
 * whose cost per subscribe grows with the square of the channels it holds:
 * the process's distinct channels are capped too (live-channels.ts, RCHAN).
 */
import type { IncomingMessage, Server } from "node:http";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer, type WebSocket } from "ws";
import { GraphQLError, type ExecutionArgs, type ExecutionResult } from "postgraphile/graphql";
import { makeGraphQLWSConfig, type GrafservBase } from "postgraphile/grafserv";
import type { Limits } from "../config.ts";
import { SESSION_ENDED_CLOSE_CODE } from "./session-sockets.ts";

export const SUBSCRIPTION_LIMIT_CODE = "RSUBS";

interface ExecutionArgsWithContext extends ExecutionArgs {
  contextValue: Grafast.Context;
}

/** Calls `done` once when the iteration ends, however it ends (completed, returned, thrown). */
export function onFinish<T>(iterable: AsyncIterable<T>, done: () => void): AsyncIterableIterator<T> {
  const iterator = iterable[Symbol.asyncIterator]();
  let finished = false;
  const finish = () => {
    if (!finished) {
      finished = true;
      done();
    }
  };
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      try {
        const result = await iterator.next();
        if (result.done) finish();
        return result;
      } catch (error) {
        finish();
        throw error;
      }
    },
    async return(value?: unknown) {
      finish();
      return iterator.return ? iterator.return(value) : { done: true, value: value as T };
    },
    async throw(error?: unknown) {
      finish();
      if (iterator.throw) return iterator.throw(error);
      throw error;
    },
  };
}

function increment<K>(counts: Map<K, number>, key: K, by: number): void {
  const count = (counts.get(key) ?? 0) + by;
  if (count > 0) counts.set(key, count);
  else counts.delete(key);
}

export interface ApiWebsockets {
  close(): Promise<void>;
}

/**
 * Whether a connection_init's `authorization` names a live session; if so, the
 * socket is registered to be closed when that session ends, whether or not it
 * ever runs an operation.
 */
export type SessionAdmission = (request: IncomingMessage, authorization: unknown, socket: WebSocket) => Promise<boolean>;

export function attachWebsockets(
  server: Server,
  serv: GrafservBase,
  options: { path: string; limits: Limits["websocket"]; admitSession: SessionAdmission },
): ApiWebsockets {
  const { path, limits, admitSession } = options;
  const wsServer = new WebSocketServer({ noServer: true, maxPayload: limits.maxMessageBytes, perMessageDeflate: false });
  const anonymousByAddress = new Map<string, number>();
  const subscriptionsByUser = new Map<string, number>();

  const grafservConfig = makeGraphQLWSConfig(serv);
  const graphqlWs = useServer(
    {
      ...grafservConfig,
      async onConnect(ctx) {
        const { request, socket } = ctx.extra;
        const authorization = ctx.connectionParams?.authorization;
        if (await admitSession(request, authorization, socket)) return true;
        if (authorization) {
          // A dead or invalid token is refused here, not at each operation: closed as when a session ends.
          socket.close(SESSION_ENDED_CLOSE_CODE, "Session ended");
          return false;
        }
        const address = request.socket.remoteAddress ?? "";
        if ((anonymousByAddress.get(address) ?? 0) >= limits.maxAnonymousSocketsPerAddress) return false;
        increment(anonymousByAddress, address, 1);
        socket.once("close", () => increment(anonymousByAddress, address, -1));
        return true;
      },
      onSubscribe(ctx, id, payload) {
        // graphql-ws lists the operations in flight (this one included): refuse
        // the excess before it costs a session look-up or a plan.
        if (Object.keys(ctx.subscriptions).length > limits.maxSubscriptionsPerSocket) {
          return [refusal(`At most ${limits.maxSubscriptionsPerSocket} live subscriptions or operations in flight per connection.`)];
        }
        return grafservConfig.onSubscribe!(ctx, id, payload);
      },
      async subscribe(args) {
        const userId = (args as ExecutionArgsWithContext).contextValue.rtcUserId;
        if (!userId) return grafservConfig.subscribe!(args);
        if ((subscriptionsByUser.get(userId) ?? 0) >= limits.maxSubscriptionsPerUser) {
          return { errors: [refusal(`At most ${limits.maxSubscriptionsPerUser} live subscriptions per user.`)] };
        }
        increment(subscriptionsByUser, userId, 1);
        const release = () => increment(subscriptionsByUser, userId, -1);
        try {
          const result = await grafservConfig.subscribe!(args);
          if (Symbol.asyncIterator in Object(result)) return onFinish(result as AsyncIterable<ExecutionResult>, release);
          release();
          return result;
        } catch (error) {
          release();
          throw error;
        }
      },
    },
    wsServer,
  );

  wsServer.on("connection", (socket: WebSocket, request: IncomingMessage) => {
    // A frame error (an oversized message) is the client's: ws closes the socket itself, nothing to log.
    socket.removeAllListeners("error");
    socket.on("error", () => {});
    sendFramesOfATickTogether(socket, request.socket);
  });

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (new URL(request.url ?? "/", "http://localhost").pathname !== path) {
      socket.destroy();
      return;
    }
    wsServer.handleUpgrade(request, socket, head, (ws) => wsServer.emit("connection", ws, request));
  };
  server.on("upgrade", onUpgrade);

  return {
    async close() {
      server.off("upgrade", onUpgrade);
      await graphqlWs.dispose();
    },
  };
}

/**
 * The frames a socket sends in one tick leave in one write: a message's events
 * for one user (their room's and their inbox's, from one notification) cost
 * one system call, not one each. The socket is corked at the tick's first
 * frame and uncorked when the tick's work is done.
 */
function sendFramesOfATickTogether(socket: WebSocket, connection: Socket): void {
  const send = socket.send.bind(socket) as (...args: unknown[]) => void;
  let corked = false;
  socket.send = ((...args: unknown[]) => {
    if (!corked && connection.writable) {
      corked = true;
      connection.cork();
      process.nextTick(() => {
        corked = false;
        connection.uncork();
      });
    }
    send(...args);
  }) as typeof socket.send;
}

function refusal(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: SUBSCRIPTION_LIMIT_CODE } });
}
