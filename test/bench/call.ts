/**
 * Start -> audio both ways (npm run bench:call), in two real Chromium
 * windows driving the web client, on a throwaway system with the real worker:
 * for each round a new woman and man register through the UI; the time runs
 * from the later of the two Start clicks until both RTCPeerConnections are
 * connected and each side's getStats() shows inbound audio with bytes and a
 * non-zero level (polled every 100 ms). 10 rounds direct (host candidates, no
 * STUN/TURN), then 10 rounds forced through a local coturn relay.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { buildWebClient } from "../../src/web/build.ts";
import { audioFlowing, registerThroughUi, startBrowser } from "../support/browser.ts";
import { startTurnServer } from "../support/turn.ts";
import { percentile, printTable, startBenchSystem } from "./support.ts";

const ROUNDS = 10;

const webRoot = await buildWebClient(await mkdtemp(path.join(tmpdir(), "rtc-bench-web-")));
const turn = await startTurnServer();
const direct = await startBenchSystem({ api: "in-process", apiOptions: { webRoot } });
const relayed = await startBenchSystem({ api: "in-process", apiOptions: { webRoot, ice: turn.ice } });
const browser = await startBrowser();

async function round(apiUrl: string, relayOnly: boolean): Promise<number> {
  const [she, he] = [await browser.open(apiUrl, { relayOnly }), await browser.open(apiUrl, { relayOnly })];
  try {
    const tag = randomBytes(4).toString("hex");
    await registerThroughUi(she, { username: `she_${tag}`, role: "female", displayName: "Ann", age: 29, intent: "friends" });
    await registerThroughUi(he, { username: `he_${tag}`, role: "male", displayName: "Bob", age: 31, intent: "friends" });
    const startButton = (page: typeof she) => page.getByRole("main").getByRole("button", { name: "Start" });
    await Promise.all([startButton(she).waitFor(), startButton(he).waitFor()]);
    await startButton(she).click();
    const started = performance.now();
    await startButton(he).click();
    await Promise.all([audioFlowing(she), audioFlowing(he)]);
    const elapsed = performance.now() - started;
    await he.getByRole("button", { name: "End call" }).click();
    return elapsed;
  } finally {
    await Promise.all([she.context().close(), he.context().close()]);
  }
}

try {
  const rows = [["path", "rounds", "p50 ms", "min ms", "max ms"]];
  for (const [name, system, relayOnly] of [
    ["direct (host candidates)", direct, false],
    ["TURN relay (coturn, 127.0.0.1)", relayed, true],
  ] as const) {
    const times: number[] = [];
    for (let n = 0; n < ROUNDS; n++) times.push(await round(system.apiUrl!, relayOnly));
    rows.push([name, String(times.length), percentile(times, 50).toFixed(0), Math.min(...times).toFixed(0), Math.max(...times).toFixed(0)]);
  }
  printTable("Both press Start -> audio flowing both ways (two Chromium windows, web client)", rows);
  const problems = browser.problems();
  if (problems.length > 0) console.log(`\nPage problems:\n  ${problems.join("\n  ")}`);
} finally {
  await browser.close();
  await direct.stop();
  await relayed.stop();
  await turn.stop();
  await rm(webRoot, { recursive: true, force: true });
}
