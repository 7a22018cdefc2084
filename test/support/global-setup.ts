/**
 * Once per `npm test`: a throwaway Postgres (embedded, or the server that
 * TEST_DATABASE_URL or DATABASE_URL points at), migrated once into a template database, and
 * one clone of it per jest worker so that workers never see each other's data.
 */
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { setupDatabase } from "../../src/db/setup.ts";
import { startEmbeddedPostgres, type RunningPostgres } from "../../src/db/embedded-postgres.ts";
import { TEMPLATE_DATABASE, workerDatabaseName } from "./names.ts";
import { liftAddressRateLimits } from "./rate-limits.ts";

declare global {
  var __testPostgres: RunningPostgres | undefined;
}

interface JestGlobalConfig {
  maxWorkers: number;
}

export default async function globalSetup(globalConfig: JestGlobalConfig): Promise<void> {
  const superuserUrl = await startServer();
  await setupDatabase(superuserUrl(TEMPLATE_DATABASE));
  const template = new pg.Client({ connectionString: superuserUrl(TEMPLATE_DATABASE) });
  await template.connect();
  await liftAddressRateLimits(template).finally(() => template.end());

  const admin = new pg.Client({ connectionString: superuserUrl("postgres") });
  await admin.connect();
  try {
    for (let worker = 1; worker <= globalConfig.maxWorkers; worker++) {
      const name = pg.escapeIdentifier(workerDatabaseName(worker));
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.query(`create database ${name} template ${pg.escapeIdentifier(TEMPLATE_DATABASE)} owner rtc_owner`);
    }
  } finally {
    await admin.end();
  }
  process.env.TEST_SUPERUSER_URL = superuserUrl("{database}");
  // Mail written by the worker's default (file) transport stays out of the project.
  process.env.MAIL_DIR = path.join(os.tmpdir(), `rtc-test-mail-${randomBytes(6).toString("hex")}`);
}

async function startServer(): Promise<(database: string) => string> {
  // An existing server: TEST_DATABASE_URL, else the one DATABASE_URL names (the
  // tests make databases of their own there and leave the named one alone).
  const external = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  if (external) {
    return (database) => {
      const url = new URL(external);
      url.pathname = `/${database}`;
      return url.toString().replace("%7Bdatabase%7D", "{database}");
    };
  }
  // Not under a mkdtemp folder: that is mode 0700, and as root the server
  // runs as the "postgres" OS user, which must reach its data folder.
  const server = await startEmbeddedPostgres({
    dataDir: path.join(os.tmpdir(), `rtc-test-${randomBytes(6).toString("hex")}`),
    port: 0,
    persistent: false,
  });
  globalThis.__testPostgres = server;
  return (database) => server.superuserUrl(database).replace("%7Bdatabase%7D", "{database}");
}
