/**
 * CPU time and memory of processes, read from /proc (Linux): the API server's
 * process and the Postgres cluster (the postmaster, its live backends, and
 * the backends it has already reaped).
 */
import { readdirSync, readFileSync } from "node:fs";

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ: 100 on Linux). */
const TICKS_PER_SECOND = 100;

interface ProcStat {
  ppid: number;
  /** user + system CPU of the process itself, in ticks. */
  ticks: number;
  /** user + system CPU of its reaped children, in ticks. */
  childTicks: number;
}

function procStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined; // exited
  }
  // The command name (field 2) is in parentheses and may hold spaces.
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  const field = (n: number) => Number(fields[n - 3]);
  return { ppid: field(4), ticks: field(14) + field(15), childTicks: field(16) + field(17) };
}

/** CPU seconds used so far by one process. */
export function processCpuSeconds(pid: number): number {
  return (procStat(pid)?.ticks ?? 0) / TICKS_PER_SECOND;
}

/** CPU seconds used so far by a process and every child it has or had (a Postgres postmaster and its backends). */
export function treeCpuSeconds(pid: number): number {
  const root = procStat(pid);
  if (!root) return 0;
  let ticks = root.ticks + root.childTicks;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = procStat(Number(entry));
    if (stat?.ppid === pid) ticks += stat.ticks;
  }
  return ticks / TICKS_PER_SECOND;
}

/** Resident memory of a process, in MB. */
export function residentMb(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Read and write system calls a process has made so far (sockets included), from /proc/<pid>/io. */
export function systemCalls(pid: number): { reads: number; writes: number } {
  try {
    const io = readFileSync(`/proc/${pid}/io`, "utf8");
    const count = (name: string) => Number(new RegExp(`${name}: (\\d+)`).exec(io)?.[1] ?? 0);
    return { reads: count("syscr"), writes: count("syscw") };
  } catch {
    return { reads: 0, writes: 0 };
  }
}

/** The postmaster's pid, from the first line of postmaster.pid in the data folder. */
export function postmasterPid(dataDir: string): number {
  return Number(readFileSync(`${dataDir}/postmaster.pid`, "utf8").split("\n")[0]);
}

/** CPU used between start() and a reading, as % of one core. */
export function cpuMeter(read: () => number): () => number {
  const startCpu = read();
  const startAt = performance.now();
  return () => ((read() - startCpu) / ((performance.now() - startAt) / 1000)) * 100;
}
