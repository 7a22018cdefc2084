/* eslint-disable */
import * as types from './graphql.ts';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "mutation VisitorEnterQueue { enterQueue(input: {}) { clientMutationId } }": typeof types.VisitorEnterQueueDocument,
    "mutation HeConnects($interactionId: UUID!) { connect(input: { interactionId: $interactionId }) { clientMutationId } }": typeof types.HeConnectsDocument,
    "\n  mutation EditCity($userId: UUID!, $city: String!) {\n    updateProfileByUserId(input: { userId: $userId, patch: { locationCity: $city } }) { profile { locationCity } }\n  }\n": typeof types.EditCityDocument,
    "query Me { currentUser { rowId email role profile { intent } } }": typeof types.MeDocument,
    "mutation Logout { logout(input: {}) { clientMutationId } }": typeof types.LogoutDocument,
    "\n  mutation Register($input: RegisterInput!) {\n    register(input: $input) { result }\n  }\n": typeof types.RegisterDocument,
    "mutation EnterQueue { enterQueue(input: {}) { result { queuedAt } } }": typeof types.EnterQueueDocument,
    "\n  subscription Inbox {\n    userEvents { event interaction { rowId } connection { rowId chatRoom { rowId } } }\n  }\n": typeof types.InboxDocument,
    "\n  query CurrentCall {\n    currentCall { rowId makesOffer joinDeadline partnerProfile { displayName intent presence } }\n  }\n": typeof types.CurrentCallDocument,
    "\n  mutation SendSignal($interactionId: UUID!, $kind: CallSignalKind!, $payload: JSON!) {\n    sendCallSignal(input: { interactionId: $interactionId, kind: $kind, payload: $payload }) { result { rowId kind } }\n  }\n": typeof types.SendSignalDocument,
    "mutation JoinCall($interactionId: UUID!) { joinCall(input: { interactionId: $interactionId }) { clientMutationId } }": typeof types.JoinCallDocument,
    "\n  mutation Connect($interactionId: UUID!) { connect(input: { interactionId: $interactionId }) { result { rowId connectionType } } }\n": typeof types.ConnectDocument,
    "\n  mutation SendMessage($chatRoomId: UUID!, $content: String!) {\n    sendMessage(input: { chatRoomId: $chatRoomId, content: $content, messageType: text }) { result { rowId messageType } }\n  }\n": typeof types.SendMessageDocument,
    "\n  query MyConnections {\n    connections { nodes { connectionType partner { displayName } chatRoom { messages(first: 5, orderBy: [CREATED_AT_DESC, ROW_ID_DESC]) { nodes { content messageType } } } } }\n  }\n": typeof types.MyConnectionsDocument,
};
const documents: Documents = {
    "mutation VisitorEnterQueue { enterQueue(input: {}) { clientMutationId } }": types.VisitorEnterQueueDocument,
    "mutation HeConnects($interactionId: UUID!) { connect(input: { interactionId: $interactionId }) { clientMutationId } }": types.HeConnectsDocument,
    "\n  mutation EditCity($userId: UUID!, $city: String!) {\n    updateProfileByUserId(input: { userId: $userId, patch: { locationCity: $city } }) { profile { locationCity } }\n  }\n": types.EditCityDocument,
    "query Me { currentUser { rowId email role profile { intent } } }": types.MeDocument,
    "mutation Logout { logout(input: {}) { clientMutationId } }": types.LogoutDocument,
    "\n  mutation Register($input: RegisterInput!) {\n    register(input: $input) { result }\n  }\n": types.RegisterDocument,
    "mutation EnterQueue { enterQueue(input: {}) { result { queuedAt } } }": types.EnterQueueDocument,
    "\n  subscription Inbox {\n    userEvents { event interaction { rowId } connection { rowId chatRoom { rowId } } }\n  }\n": types.InboxDocument,
    "\n  query CurrentCall {\n    currentCall { rowId makesOffer joinDeadline partnerProfile { displayName intent presence } }\n  }\n": types.CurrentCallDocument,
    "\n  mutation SendSignal($interactionId: UUID!, $kind: CallSignalKind!, $payload: JSON!) {\n    sendCallSignal(input: { interactionId: $interactionId, kind: $kind, payload: $payload }) { result { rowId kind } }\n  }\n": types.SendSignalDocument,
    "mutation JoinCall($interactionId: UUID!) { joinCall(input: { interactionId: $interactionId }) { clientMutationId } }": types.JoinCallDocument,
    "\n  mutation Connect($interactionId: UUID!) { connect(input: { interactionId: $interactionId }) { result { rowId connectionType } } }\n": types.ConnectDocument,
    "\n  mutation SendMessage($chatRoomId: UUID!, $content: String!) {\n    sendMessage(input: { chatRoomId: $chatRoomId, content: $content, messageType: text }) { result { rowId messageType } }\n  }\n": types.SendMessageDocument,
    "\n  query MyConnections {\n    connections { nodes { connectionType partner { displayName } chatRoom { messages(first: 5, orderBy: [CREATED_AT_DESC, ROW_ID_DESC]) { nodes { content messageType } } } } }\n  }\n": types.MyConnectionsDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation VisitorEnterQueue { enterQueue(input: {}) { clientMutationId } }"): (typeof documents)["mutation VisitorEnterQueue { enterQueue(input: {}) { clientMutationId } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation HeConnects($interactionId: UUID!) { connect(input: { interactionId: $interactionId }) { clientMutationId } }"): (typeof documents)["mutation HeConnects($interactionId: UUID!) { connect(input: { interactionId: $interactionId }) { clientMutationId } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EditCity($userId: UUID!, $city: String!) {\n    updateProfileByUserId(input: { userId: $userId, patch: { locationCity: $city } }) { profile { locationCity } }\n  }\n"): (typeof documents)["\n  mutation EditCity($userId: UUID!, $city: String!) {\n    updateProfileByUserId(input: { userId: $userId, patch: { locationCity: $city } }) { profile { locationCity } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Me { currentUser { rowId email role profile { intent } } }"): (typeof documents)["query Me { currentUser { rowId email role profile { intent } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Logout { logout(input: {}) { clientMutationId } }"): (typeof documents)["mutation Logout { logout(input: {}) { clientMutationId } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Register($input: RegisterInput!) {\n    register(input: $input) { result }\n  }\n"): (typeof documents)["\n  mutation Register($input: RegisterInput!) {\n    register(input: $input) { result }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation EnterQueue { enterQueue(input: {}) { result { queuedAt } } }"): (typeof documents)["mutation EnterQueue { enterQueue(input: {}) { result { queuedAt } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription Inbox {\n    userEvents { event interaction { rowId } connection { rowId chatRoom { rowId } } }\n  }\n"): (typeof documents)["\n  subscription Inbox {\n    userEvents { event interaction { rowId } connection { rowId chatRoom { rowId } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CurrentCall {\n    currentCall { rowId makesOffer joinDeadline partnerProfile { displayName intent presence } }\n  }\n"): (typeof documents)["\n  query CurrentCall {\n    currentCall { rowId makesOffer joinDeadline partnerProfile { displayName intent presence } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SendSignal($interactionId: UUID!, $kind: CallSignalKind!, $payload: JSON!) {\n    sendCallSignal(input: { interactionId: $interactionId, kind: $kind, payload: $payload }) { result { rowId kind } }\n  }\n"): (typeof documents)["\n  mutation SendSignal($interactionId: UUID!, $kind: CallSignalKind!, $payload: JSON!) {\n    sendCallSignal(input: { interactionId: $interactionId, kind: $kind, payload: $payload }) { result { rowId kind } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation JoinCall($interactionId: UUID!) { joinCall(input: { interactionId: $interactionId }) { clientMutationId } }"): (typeof documents)["mutation JoinCall($interactionId: UUID!) { joinCall(input: { interactionId: $interactionId }) { clientMutationId } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Connect($interactionId: UUID!) { connect(input: { interactionId: $interactionId }) { result { rowId connectionType } } }\n"): (typeof documents)["\n  mutation Connect($interactionId: UUID!) { connect(input: { interactionId: $interactionId }) { result { rowId connectionType } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SendMessage($chatRoomId: UUID!, $content: String!) {\n    sendMessage(input: { chatRoomId: $chatRoomId, content: $content, messageType: text }) { result { rowId messageType } }\n  }\n"): (typeof documents)["\n  mutation SendMessage($chatRoomId: UUID!, $content: String!) {\n    sendMessage(input: { chatRoomId: $chatRoomId, content: $content, messageType: text }) { result { rowId messageType } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyConnections {\n    connections { nodes { connectionType partner { displayName } chatRoom { messages(first: 5, orderBy: [CREATED_AT_DESC, ROW_ID_DESC]) { nodes { content messageType } } } } }\n  }\n"): (typeof documents)["\n  query MyConnections {\n    connections { nodes { connectionType partner { displayName } chatRoom { messages(first: 5, orderBy: [CREATED_AT_DESC, ROW_ID_DESC]) { nodes { content messageType } } } } }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;