/** Stops the throwaway Postgres that global-setup.ts started, deleting its data. */
export default async function globalTeardown(): Promise<void> {
  await globalThis.__testPostgres?.stop();
}
