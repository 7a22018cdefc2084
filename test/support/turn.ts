/**
 * A real TURN server for tests and benchmarks: Debian's coturn (installed by
 * .ci/run), on 127.0.0.1 only, with a shared secret (use-auth-secret, the
 * scheme whose credentials `iceServers` issues), no TLS, a free port, a small
 * relay port range and a temporary folder of its own. `stop()` ends it.
 */
import { spawn } from "node:child_process";
import { createSocket } from "node:dgram";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { IceSettings } from "../../src/server/plugins/ice-servers.ts";

export const TURNSERVER = process.env.TURNSERVER_PATH ?? "/usr/bin/turnserver";

export interface TurnServer {
  /** The settings that make `iceServers` hand out this server with credentials. */
  ice: IceSettings;
  /** What coturn has printed so far (for a failing test's message). */
  log(): string;
  stop(): Promise<void>;
}

/** A UDP port nobody uses right now. */
function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = createSocket("udp4");
    socket.once("error", reject);
    socket.bind(0, "127.0.0.1", () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

/** Sends one STUN binding request; true when a response comes within 100 ms. */
function answersStun(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket("udp4");
    const request = Buffer.alloc(20);
    request.writeUInt16BE(0x0001, 0); // binding request, no attributes
    request.writeUInt32BE(0x2112a442, 4); // magic cookie
    randomBytes(12).copy(request, 8);
    const done = (answered: boolean) => {
      clearTimeout(timer);
      socket.close();
      resolve(answered);
    };
    const timer = setTimeout(() => done(false), 100);
    socket.once("message", () => done(true));
    socket.once("error", () => done(false));
    socket.send(request, port, "127.0.0.1");
  });
}

export async function startTurnServer(): Promise<TurnServer> {
  const folder = await mkdtemp(path.join(tmpdir(), "rtc-turn-"));
  const port = await freeUdpPort();
  const secret = randomBytes(16).toString("hex");
  // 200 relay ports somewhere in 20000-59999, away from the kernel's ephemeral range.
  const minPort = 20_000 + Math.floor(Math.random() * 200) * 200;
  const child = spawn(
    TURNSERVER,
    [
      "-n", // no configuration file
      "--listening-ip=127.0.0.1",
      "--relay-ip=127.0.0.1",
      `--listening-port=${port}`,
      `--min-port=${minPort}`,
      `--max-port=${minPort + 199}`,
      "--use-auth-secret",
      `--static-auth-secret=${secret}`,
      "--realm=rtc.test",
      "--no-tls",
      "--no-dtls",
      "--no-cli",
      "--no-tcp",
      "--no-tcp-relay",
      // Both browsers of a test live on 127.0.0.1, which coturn refuses to relay to by default.
      "--allow-loopback-peers",
      `--userdb=${path.join(folder, "turndb")}`,
      `--pidfile=${path.join(folder, "turnserver.pid")}`,
      "--log-file=stdout",
      "--simple-log",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  // Ready when it answers a STUN binding request (or fail after 10 s).
  const deadline = Date.now() + 10_000;
  while (!(await answersStun(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      await rm(folder, { recursive: true, force: true });
      throw new Error(`turnserver did not start:\n${output}`);
    }
  }

  return {
    ice: { stunUrls: [], turnUrls: [`turn:127.0.0.1:${port}?transport=udp`], turnSecret: secret, turnCredentialSeconds: 3600 },
    log: () => output,
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        const killed = setTimeout(() => child.kill("SIGKILL"), 3000);
        await exited;
        clearTimeout(killed);
      }
      await rm(folder, { recursive: true, force: true });
    },
  };
}
