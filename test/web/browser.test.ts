/**
 * Two real browsers (Debian's Chromium, driven by playwright-core, with fake
 * microphone and camera) use the web client against the real API server and
 * worker: she and he register through the UI, press Start, get matched, and
 * talk over a real RTCPeerConnection; she connects, they chat, he asks for
 * video, she approves, they see each other. A second story forces every
 * packet through a real TURN server (coturn on 127.0.0.1) with the
 * credentials of the iceServers query. Console errors, failed requests and
 * uncaught errors in the pages fail the test. Screenshots of the main
 * screens go to .data/screenshots/. A third story follows the links of the
 * mails the worker sends: confirm the email, reset a forgotten password.
 */
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { config, projectRoot } from "../../src/config.ts";
import { buildWebClient } from "../../src/web/build.ts";
import { startWorker, type RunningWorker } from "../../worker/runner.ts";
import { deleteUsers, startTestApi, type TestApi } from "../support/api.ts";
import { audioFlowing, registerThroughUi, startBrowser, waitForMedia, type TestBrowser } from "../support/browser.ts";
import { testDatabaseUrls } from "../support/db.ts";
import { mailedLink } from "../support/mail.ts";
import { startTurnServer, type TurnServer } from "../support/turn.ts";

const SCREENSHOTS = path.join(projectRoot, ".data", "screenshots");
const STORY_MS = 60_000;

let webRoot: string;
let worker: RunningWorker;
let turn: TurnServer;
let direct: TestApi;
let relayed: TestApi;
let browser: TestBrowser;
const usernames: string[] = [];

beforeAll(async () => {
  webRoot = await buildWebClient(await mkdtemp(path.join(tmpdir(), "rtc-web-")));
  await mkdir(SCREENSHOTS, { recursive: true });
  [worker, turn, browser] = await Promise.all([startWorker(testDatabaseUrls().owner), startTurnServer(), startBrowser()]);
  // No STUN or TURN configured: what `npm start` gives by default.
  direct = await startTestApi({ webRoot });
  relayed = await startTestApi({ webRoot, ice: turn.ice });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([direct?.close(), relayed?.close()]);
  await worker?.stop();
  await turn?.stop();
  await deleteUsers(usernames);
  if (webRoot) await rm(webRoot, { recursive: true, force: true });
});

async function couple(api: TestApi, options: { relayOnly?: boolean } = {}): Promise<{ she: Page; he: Page }> {
  const [she, he] = [await browser.open(api.url, options), await browser.open(api.url, options)];
  const tag = randomBytes(4).toString("hex");
  const [hers, his] = [`she_${tag}`, `he_${tag}`];
  usernames.push(hers, his);
  await registerThroughUi(she, { username: hers, role: "female", displayName: "Ann", age: 29, intent: "friends" });
  await registerThroughUi(he, { username: his, role: "male", displayName: "Bob", age: 31, intent: "friends" });
  return { she, he };
}

const start = (page: Page) => page.getByRole("main").getByRole("button", { name: "Start" }).click();
/** In the chat, loaded: the composer is enabled once the history and the live stream are there. */
const inChat = (page: Page) => page.locator('[data-screen="chat"] .composer:not([disabled])').waitFor();
const shoot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });

async function send(from: Page, to: Page, text: string): Promise<void> {
  await from.getByLabel("Message").fill(text);
  await from.getByRole("button", { name: "Send" }).click();
  await to.locator(".message.theirs", { hasText: text }).waitFor();
  await from.locator(".message.mine", { hasText: text }).locator(".receipt", { hasText: "Read" }).waitFor();
}

async function logIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel("Username or email").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
}

async function logOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Log out" }).click();
  await page.getByRole("button", { name: "Log in" }).waitFor();
}

test(
  "she and he meet, talk, connect, chat and go to video, in two browsers",
  async () => {
    const { she, he } = await couple(direct);
    await start(she);
    await she.getByText("Looking for someone").waitFor();
    await shoot(she, "queue");
    await start(he);

    // Matched: the call connects and each side hears the other.
    for (const page of [she, he]) {
      const audio = await audioFlowing(page);
      expect(audio.state).toBe("connected");
      expect(audio.audioLevel).toBeGreaterThan(0);
    }
    await he.getByText("Waiting for her decision").waitFor();
    await shoot(she, "call");

    // She connects; both land in their new chat.
    await she.getByRole("button", { name: "Connect", exact: true }).click();
    await Promise.all([inChat(she), inChat(he)]);
    await send(she, he, "Hi Bob, nice talking to you!");
    await send(he, she, "Hello Ann! Same here.");
    await shoot(he, "chat");

    // He asks for video, she approves, he calls, she accepts: video both ways.
    await he.getByRole("button", { name: "Ask for video" }).click();
    await she.getByRole("button", { name: "Approve video" }).click();
    await he.getByRole("button", { name: "Video call" }).click();
    await she.getByRole("button", { name: "Accept" }).click();
    for (const page of [she, he]) expect((await waitForMedia(page, (stats) => stats.framesDecoded > 0)).framesDecoded).toBeGreaterThan(0);
    await shoot(she, "video");

    await he.getByRole("button", { name: "End call" }).click();
    await Promise.all([inChat(she), inChat(he)]);
    await Promise.all([logOut(she), logOut(he)]);
    expect(browser.problems()).toEqual([]);
  },
  STORY_MS,
);

test(
  "with iceTransportPolicy relay, the call goes through the TURN server with the iceServers credentials; a reload ends the call",
  async () => {
    const { she, he } = await couple(relayed, { relayOnly: true });
    await start(she);
    await start(he);
    for (const page of [she, he]) {
      const audio = await audioFlowing(page).catch((error: Error) => {
        throw new Error(`${error.message}\ncoturn said:\n${turn.log().slice(-2000)}`);
      });
      expect(audio.localCandidateType).toBe("relay");
      expect(audio.audioLevel).toBeGreaterThan(0);
    }
    // He reloads his tab: the call cannot go on without his peer connection, so it ends for both.
    await he.reload();
    await Promise.all([she.getByText("The call has ended").waitFor(), he.getByRole("main").getByRole("button", { name: "Start" }).waitFor()]);
    await Promise.all([logOut(she), logOut(he)]);
    expect(browser.problems()).toEqual([]);
  },
  STORY_MS,
);

test("the mails' links open their pages: the email is confirmed; a forgotten password is reset and logs in; the profile changes it and deletes the account", async () => {
  const name = `mail_${randomBytes(4).toString("hex")}`;
  const email = `${name}@example.com`;
  usernames.push(name);
  const page = await browser.open(direct.url);
  await registerThroughUi(page, { username: name, role: "female", displayName: "Cleo", age: 33, intent: "serious" });
  await page.getByRole("navigation").getByRole("button", { name: "Profile" }).click();
  await page.getByText("Your email is not confirmed yet").waitFor();

  const verify = await mailedLink(email, "/verify-email");
  expect(verify.origin).toBe(new URL(config.appUrl).origin);
  await page.goto(verify.pathname + verify.search);
  await page.getByRole("heading", { name: "Your email is confirmed" }).waitFor();
  await page.close();

  // Another window, not logged in: forgot the password.
  const other = await browser.open(direct.url);
  await other.getByRole("link", { name: "Forgot your password?" }).click();
  await other.getByLabel("Email").fill(email);
  await other.getByRole("button", { name: "Mail me a link" }).click();
  await other.getByRole("heading", { name: "Check your mail" }).waitFor();
  const reset = await mailedLink(email, "/reset-password");
  await other.goto(reset.pathname + reset.search);
  await other.getByLabel("New password").fill("a brand new password");
  await other.getByRole("button", { name: "Change password" }).click();
  await other.getByRole("heading", { name: "Your password is changed" }).waitFor();

  await other.getByRole("link", { name: "Log in" }).click();
  await logIn(other, name, "a brand new password");

  // The profile changes the password, and logs out on every device.
  await other.getByRole("navigation").getByRole("button", { name: "Profile" }).click();
  await other.getByLabel("Current password").fill("a brand new password");
  await other.getByLabel("New password").fill("yet another password");
  await other.getByRole("button", { name: "Change password" }).click();
  await other.getByText("Your password is changed").waitFor();
  await other.getByRole("button", { name: "Log out on every device" }).click();
  await logIn(other, name, "yet another password");

  // Deleting the account takes the password: a wrong one changes nothing.
  await other.getByRole("navigation").getByRole("button", { name: "Profile" }).click();
  await other.getByLabel("Password to confirm").fill("not the password");
  await other.getByRole("button", { name: "Delete my account" }).click();
  await other.getByText("(RCRED)").waitFor();
  await other.getByLabel("Password to confirm").fill("yet another password");
  await other.getByRole("button", { name: "Delete my account" }).click();
  await other.getByText("Your account is deleted.").waitFor();
  await logIn(other, name, "yet another password");
  await other.getByText("(RCRED)").waitFor();
  expect(browser.problems()).toEqual([]);
});
