/**
 * As root, the embedded Postgres runs as the OS user "postgres" (Postgres
 * refuses to run as root), which must be able to enter every folder above
 * its programs (in node_modules) and above its data folder. A project under
 * /root or under a private (0700) temporary folder is out of its reach: this
 * says so in one line, where starting it would fail with a spawn EACCES.
 */
import { statSync } from "node:fs";
import path from "node:path";

/** The first folder on the way to `target` (itself included) that users other than its owner cannot enter, or undefined. */
export function firstClosedFolder(target: string): string | undefined {
  const folders: string[] = [];
  for (let folder = path.resolve(target); ; folder = path.dirname(folder)) {
    folders.unshift(folder);
    if (folder === path.dirname(folder)) break;
  }
  for (const folder of folders) {
    let mode: number;
    try {
      mode = statSync(folder).mode;
    } catch {
      return undefined; // not there yet: it will be made where its parent is
    }
    if ((mode & 0o001) === 0) return folder;
  }
  return undefined;
}

/** Throws one clear sentence when the "postgres" user could not reach these folders. */
export function assertPostgresUserCanReach(folders: string[]): void {
  for (const folder of folders) {
    const closed = firstClosedFolder(folder);
    if (closed) {
      throw new Error(
        `The embedded Postgres runs as the OS user "postgres" when started by root, and that user cannot enter ${closed}: ` +
          `put the project (and EMBEDDED_PG_DIR) under a folder others can enter (not /root or a private temporary folder), or set DATABASE_URL.`,
      );
    }
  }
}
