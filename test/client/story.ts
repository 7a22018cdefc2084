/**
 * A typed client, as an app would write one: each operation is a typed
 * document generated from schema.graphql by GraphQL Code Generator
 * (`npm run codegen`, config in codegen.ts), so its variables and result are
 * checked by the compiler: required inputs, enum values ("female", "offer"),
 * nullable fields. It plays the story: register, match, signal, connect,
 * chat, and reads what it needs (currentCall, the partner, connections).
 */
import { print } from "postgraphile/graphql";
import { createClient } from "graphql-ws";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { graphql } from "./graphql/index.ts";

const Register = graphql(`
  mutation Register($input: RegisterInput!) {
    register(input: $input) { result }
  }
`);
const EnterQueue = graphql(`mutation EnterQueue { enterQueue(input: {}) { result { queuedAt } } }`);
const Inbox = graphql(`
  subscription Inbox {
    userEvents { event interaction { rowId } connection { rowId chatRoom { rowId } } }
  }
`);
const CurrentCall = graphql(`
  query CurrentCall {
    currentCall { rowId makesOffer joinDeadline partnerProfile { displayName intent presence } }
  }
`);
const SendSignal = graphql(`
  mutation SendSignal($interactionId: UUID!, $kind: CallSignalKind!, $payload: JSON!) {
    sendCallSignal(input: { interactionId: $interactionId, kind: $kind, payload: $payload }) { result { rowId kind } }
  }
`);
const JoinCall = graphql(`mutation JoinCall($interactionId: UUID!) { joinCall(input: { interactionId: $interactionId }) { clientMutationId } }`);
const Connect = graphql(`
  mutation Connect($interactionId: UUID!) { connect(input: { interactionId: $interactionId }) { result { rowId connectionType } } }
`);
const SendMessage = graphql(`
  mutation SendMessage($chatRoomId: UUID!, $content: String!) {
    sendMessage(input: { chatRoomId: $chatRoomId, content: $content, messageType: text }) { result { rowId messageType } }
  }
`);
const MyConnections = graphql(`
  query MyConnections {
    connections { nodes { connectionType partner { displayName } chatRoom { messages(first: 5, orderBy: [CREATED_AT_DESC, ROW_ID_DESC]) { nodes { content messageType } } } } }
  }
`);

interface GraphQLError {
  message: string;
  extensions?: { code?: string; field?: string };
}

/** A refused operation: an app switches on each error's code (and field). */
export class ApiError extends Error {
  readonly errors: GraphQLError[];

  constructor(errors: GraphQLError[]) {
    super(errors.map((error) => `${error.extensions?.code}: ${error.message}`).join("; "));
    this.errors = errors;
  }

  get codes(): Array<string | undefined> {
    return this.errors.map((error) => error.extensions?.code);
  }
}

interface GraphQLResult<T> {
  data?: T | null;
  errors?: GraphQLError[];
}

/** One typed operation over HTTP. */
export async function request<TResult, TVariables>(
  url: string,
  document: TypedDocumentNode<TResult, TVariables>,
  variables: TVariables,
  token?: string,
): Promise<TResult> {
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const result = (await response.json()) as GraphQLResult<TResult>;
  if (result.errors?.length || !result.data) throw new ApiError(result.errors ?? []);
  return result.data;
}

/** A typed subscription over a websocket: `next(matching)` waits for the next event that matches. */
export function subscribe<TResult>(url: string, document: TypedDocumentNode<TResult, Record<string, never>>, token: string) {
  const client = createClient({ url: `${url.replace(/^http/, "ws")}/graphql`, connectionParams: { authorization: `Bearer ${token}` }, retryAttempts: 0 });
  const events: TResult[] = [];
  let wake = () => {};
  client.subscribe<TResult>(
    { query: print(document) },
    { next: (result) => (result.data && events.push(result.data as TResult), wake()), error: () => wake(), complete: () => wake() },
  );
  return {
    async next(matching: (event: TResult) => boolean, timeoutMs = 10_000): Promise<TResult> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const index = events.findIndex(matching);
        if (index >= 0) return events.splice(0, index + 1).at(-1)!;
        if (Date.now() > deadline) throw new Error("no such event in time");
        await new Promise<void>((resolve) => ((wake = resolve), setTimeout(resolve, 50)));
      }
    },
    close: () => client.dispose(),
  };
}

export interface StoryResult {
  ann: string;
  bob: string;
  callId: string;
  chatRoomId: string;
  herPartner: string;
  hisMessages: string[];
}

/** Ann and Bob meet: register, queue, match, signal, join, she connects, he writes. */
export async function playStory(url: string, names: { ann: string; bob: string }): Promise<StoryResult> {
  const register = async (username: string, role: "male" | "female") =>
    (await request(url, Register, {
      input: { username, email: `${username}@example.com`, password: "a long password", role, displayName: username, age: 30, intent: "friends" },
    })).register!.result!;
  const [ann, bob] = [await register(names.ann, "female"), await register(names.bob, "male")];

  const [annInbox, bobInbox] = [subscribe(url, Inbox, ann), subscribe(url, Inbox, bob)];
  try {
    // A subscription's first event says it is live: from then on nothing is missed.
    for (const inbox of [annInbox, bobInbox]) await inbox.next((event) => event.userEvents?.event === "subscribed");
    await request(url, EnterQueue, {}, ann);
    await request(url, EnterQueue, {}, bob);
    await bobInbox.next((event) => event.userEvents?.event === "matched");

    const call = (await request(url, CurrentCall, {}, bob)).currentCall!;
    const offerer = call.makesOffer ? bob : ann;
    const answerer = call.makesOffer ? ann : bob;
    await request(url, SendSignal, { interactionId: call.rowId, kind: "offer", payload: { sdp: "v=0" } }, offerer);
    await request(url, SendSignal, { interactionId: call.rowId, kind: "answer", payload: { sdp: "v=0" } }, answerer);
    for (const who of [ann, bob]) await request(url, JoinCall, { interactionId: call.rowId }, who);

    await request(url, Connect, { interactionId: call.rowId }, ann);
    const connected = await bobInbox.next((event) => event.userEvents?.event === "connected");
    const chatRoomId = connected.userEvents!.connection!.chatRoom!.rowId;
    await request(url, SendMessage, { chatRoomId, content: "Hi Ann!" }, bob);

    const hers = (await request(url, MyConnections, {}, ann)).connections!.nodes[0]!;
    return {
      ann,
      bob,
      callId: call.rowId,
      chatRoomId,
      herPartner: hers.partner?.displayName ?? "(not visible)",
      hisMessages: hers.chatRoom!.messages.nodes.map((message) => `${message!.messageType}: ${message!.content ?? "(deleted)"}`),
    };
  } finally {
    await Promise.all([annInbox.close(), bobInbox.close()]);
  }
}
