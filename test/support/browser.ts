/**
 * Driving the web client in Debian's Chromium with playwright-core (the
 * project installs chromium with apt in .ci/run; Playwright's own browser
 * download does not work here). Playwright gives the browser a fresh,
 * temporary profile (user data dir) at each launch. Fake media devices stand in for the
 * microphone and camera; the microphone plays a steady tone from a WAV file,
 * so the partner's audio level is never zero. Each page records console
 * errors, failed requests and unhandled rejections: a test ends with
 * `expectNoPageErrors()`.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export interface TestBrowser {
  browser: Browser;
  /** A new user's window: its own context (cookies, sessionStorage), fake devices allowed. */
  open(baseUrl: string, options?: { relayOnly?: boolean }): Promise<Page>;
  /** Every console error, failed request and page error seen so far, by page. */
  problems(): string[];
  close(): Promise<void>;
}

/** A 16-bit mono WAV of a 440 Hz tone (Chromium loops it as the fake microphone). */
function toneWav(seconds = 2, rate = 48_000): Buffer {
  const samples = seconds * rate;
  const wav = Buffer.alloc(44 + samples * 2);
  wav.write("RIFF", 0);
  wav.writeUInt32LE(36 + samples * 2, 4);
  wav.write("WAVEfmt ", 8);
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(rate, 24);
  wav.writeUInt32LE(rate * 2, 28);
  wav.writeUInt16LE(2, 32);
  wav.writeUInt16LE(16, 34);
  wav.write("data", 36);
  wav.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++) wav.writeInt16LE(Math.round(Math.sin((2 * Math.PI * 440 * i) / rate) * 12_000), 44 + i * 2);
  return wav;
}

/**
 * Runs in the page before the app: keeps every RTCPeerConnection in
 * window.__peers for the test to read getStats() from, and with relayOnly
 * forces iceTransportPolicy "relay", so only TURN candidates are used.
 */
function recordPeers(relayOnly: boolean): void {
  const Original = window.RTCPeerConnection;
  const peers: RTCPeerConnection[] = [];
  (window as unknown as { __peers: RTCPeerConnection[] }).__peers = peers;
  window.RTCPeerConnection = class extends Original {
    constructor(configuration?: RTCConfiguration) {
      super(relayOnly ? { ...configuration, iceTransportPolicy: "relay" } : configuration);
      peers.push(this);
    }
  } as typeof RTCPeerConnection;
}

export async function startBrowser(): Promise<TestBrowser> {
  const folder = await mkdtemp(path.join(tmpdir(), "rtc-browser-"));
  const tone = path.join(folder, "tone.wav");
  await writeFile(tone, toneWav());
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--use-fake-device-for-media-stream",
      "--use-fake-ui-for-media-stream",
      `--use-file-for-fake-audio-capture=${tone}`,
      "--autoplay-policy=no-user-gesture-required",
    ],
  });
  const problems: string[] = [];
  const contexts: BrowserContext[] = [];
  return {
    browser,
    async open(baseUrl, options = {}) {
      const context = await browser.newContext({ baseURL: baseUrl, permissions: ["microphone", "camera"] });
      contexts.push(context);
      await context.addInitScript(recordPeers, Boolean(options.relayOnly));
      const page = await context.newPage();
      const name = `page ${contexts.length}`;
      page.on("console", (message) => {
        if (message.type() === "error") problems.push(`${name} console error: ${message.text()}`);
      });
      page.on("pageerror", (error) => problems.push(`${name} uncaught: ${error.message}`));
      page.on("requestfailed", (request) => problems.push(`${name} request failed: ${request.method()} ${request.url()} ${request.failure()?.errorText}`));
      page.on("response", (response) => {
        if (response.status() >= 400) problems.push(`${name} HTTP ${response.status()}: ${response.url()}`);
      });
      await page.goto("/");
      return page;
    },
    problems: () => [...problems],
    async close() {
      for (const context of contexts) await context.close().catch(() => {});
      await browser.close();
      await rm(folder, { recursive: true, force: true });
    },
  };
}

export interface MediaStats {
  state: string;
  bytesReceived: number;
  audioLevel: number;
  framesDecoded: number;
  /** The selected candidate pair's local candidate type (host, srflx, relay). */
  localCandidateType: string | null;
}

/** The newest peer connection's state and inbound media, from getStats(). */
export function mediaStats(page: Page): Promise<MediaStats | null> {
  return page.evaluate(async () => {
    const peers = (window as unknown as { __peers: RTCPeerConnection[] }).__peers;
    const pc = peers[peers.length - 1];
    if (!pc) return null;
    const result = { state: pc.connectionState, bytesReceived: 0, audioLevel: 0, framesDecoded: 0, localCandidateType: null as string | null };
    const stats = await pc.getStats();
    for (const report of stats.values()) {
      if (report.type === "inbound-rtp" && report.kind === "audio") {
        result.bytesReceived += report.bytesReceived ?? 0;
        result.audioLevel = Math.max(result.audioLevel, report.audioLevel ?? 0);
      }
      if (report.type === "inbound-rtp" && report.kind === "video") result.framesDecoded += report.framesDecoded ?? 0;
      if (report.type === "candidate-pair" && report.nominated && report.state === "succeeded") {
        result.localCandidateType = stats.get(report.localCandidateId)?.candidateType ?? null;
      }
    }
    return result;
  });
}

/** Polls until `check` holds for the page's media (or throws after `ms`). */
export async function waitForMedia(page: Page, check: (stats: MediaStats) => boolean, ms = 15_000): Promise<MediaStats> {
  const deadline = Date.now() + ms;
  let last: MediaStats | null = null;
  while (Date.now() < deadline) {
    last = await mediaStats(page);
    if (last && check(last)) return last;
    await page.waitForTimeout(100);
  }
  throw new Error(`media never got there; last stats: ${JSON.stringify(last)}`);
}

/** Audio flows in: connected, bytes received growing, a non-zero level. */
export async function audioFlowing(page: Page, ms?: number): Promise<MediaStats> {
  const first = await waitForMedia(page, (stats) => stats.state === "connected" && stats.bytesReceived > 0 && stats.audioLevel > 0, ms);
  return waitForMedia(page, (stats) => stats.bytesReceived > first.bytesReceived, ms);
}

/** Registers through the UI (the register form), which logs in and opens the profile. */
export async function registerThroughUi(page: Page, user: { username: string; role: "female" | "male"; displayName: string; age: number; intent: string }): Promise<void> {
  await page.getByRole("link", { name: "Create an account" }).click();
  await page.getByLabel("Username").fill(user.username);
  await page.getByLabel("Email").fill(`${user.username}@example.com`);
  await page.getByLabel("Password").fill("correct horse battery");
  await page.getByLabel("I am").selectOption(user.role);
  await page.getByLabel("Display name").fill(user.displayName);
  await page.getByLabel("Age").fill(String(user.age));
  await page.getByLabel("Looking for").selectOption(user.intent);
  await page.getByRole("button", { name: "Register" }).click();
}
