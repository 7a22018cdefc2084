/** Names of the test databases (global-setup.ts creates them). */
export const TEMPLATE_DATABASE = "rtc_test_template";

export function workerDatabaseName(worker: number | string): string {
  return `rtc_test_${worker}`;
}
