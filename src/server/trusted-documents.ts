/**
 * Trusted documents (README "Trusted documents"), an opt-in mode for an API
 * that serves only first-party clients: with GRAPHQL_TRUSTED_DOCUMENTS set,
 * a request names one of the documents of that file by its SHA-256
 * (`documentId`, or Apollo's `extensions.persistedQuery.sha256Hash`) and no
 * other GraphQL text runs, over HTTP and websockets alike
 * (@grafserv/persisted, whose middleware grafserv's websocket handling runs
 * too). The file is the JSON {"<sha256>": "<document>"} that GraphQL Code
 * Generator's client preset writes with `persistedDocuments: true`.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { PersistedPlugin } from "@grafserv/persisted";
import type { ParsedGraphQLBody } from "postgraphile/grafserv";

export { PersistedPlugin };

/** Documents by the hex SHA-256 of their text. */
export type TrustedDocuments = Record<string, string>;

/** Reads the file, refusing any entry whose key is not the SHA-256 of its document (a typo would serve the wrong operation). */
export async function readTrustedDocuments(file: string): Promise<TrustedDocuments> {
  const documents = JSON.parse(await readFile(file, "utf8")) as unknown;
  if (typeof documents !== "object" || documents === null || Array.isArray(documents)) {
    throw new Error(`GRAPHQL_TRUSTED_DOCUMENTS: ${file} is not a JSON object of documents by SHA-256.`);
  }
  for (const [hash, document] of Object.entries(documents)) {
    if (typeof document !== "string" || documentHash(document) !== hash) {
      throw new Error(`GRAPHQL_TRUSTED_DOCUMENTS: in ${file}, "${hash}" is not the SHA-256 of its document.`);
    }
  }
  return documents as TrustedDocuments;
}

/**
 * The grafserv options of the mode. A request without an id names the empty
 * one, which no document has: refused like an unknown id, without the
 * library's log line (with the payload) that a missing id would cost.
 */
export function trustedDocumentsOptions(documents: TrustedDocuments): GraphileConfig.GrafservOptions {
  return {
    persistedOperations: documents,
    allowUnpersistedOperation: false,
    hashFromPayload: (payload: ParsedGraphQLBody & { documentId?: unknown }) => {
      const extensions = payload.extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined;
      const id = payload.documentId ?? extensions?.persistedQuery?.sha256Hash;
      return typeof id === "string" ? id : "";
    },
  };
}

export function documentHash(document: string): string {
  return createHash("sha256").update(document).digest("hex");
}
