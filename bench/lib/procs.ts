import { readdirSync, readFileSync } from 'node:fs';

/**
 * What the benchmark reads from /proc: CPU time and resident memory of the processes it started
 * (and of PostgreSQL), and the whole machine's busy time, so every figure can say where the CPU
 * went and whether something else on the machine was competing.
 */

// USER_HZ is 100 on every Linux the project runs on (sysconf(_SC_CLK_TCK)).
const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system, all threads) a process has used so far; 0 when it is gone. */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: fields start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** Resident set size in MiB (VmRSS), or undefined when the process is gone. */
export function rssMiB(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Process IDs whose command line contains every one of `needles`. */
export function findPids(...needles: string[]): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (needles.every((needle) => cmdline.includes(needle))) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** Every process whose name is `comm` (e.g. all PostgreSQL processes, backends included). */
export function pidsByName(comm: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === comm) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** Busy and total CPU seconds of the whole machine since boot (from /proc/stat). */
function machineCpu(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest is already in user)
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = values;
  const busy = user + nice + system + irq + softirq + steal;
  return { busy: busy / TICKS_PER_SECOND, total: (busy + idle + iowait) / TICKS_PER_SECOND };
}

export type CpuGroups = Record<string, () => number[]>;

export interface CpuSplit {
  wallSeconds: number;
  /** CPU seconds per group over the window. */
  groups: Record<string, number>;
  /** Machine busy seconds not accounted to any group (other work on the machine). */
  other: number;
  machineBusy: number;
  /** Machine capacity over the window: cores × wall seconds. */
  capacity: number;
}

/**
 * Starts a CPU accounting window over named groups of processes. Processes are looked up again
 * at the end, so ones that started meanwhile (a PostgreSQL backend) count from zero.
 */
export function cpuWindow(groups: CpuGroups): { stop(): CpuSplit } {
  const startedAt = process.hrtime.bigint();
  const machineStart = machineCpu();
  const before = new Map<number, number>();
  for (const pids of Object.values(groups)) for (const pid of pids()) before.set(pid, processCpuSeconds(pid));
  return {
    stop() {
      const wallSeconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
      const machineEnd = machineCpu();
      const result: Record<string, number> = {};
      const counted = new Set<number>();
      for (const [name, pids] of Object.entries(groups)) {
        let sum = 0;
        for (const pid of pids()) {
          if (counted.has(pid)) continue;
          counted.add(pid);
          sum += Math.max(0, processCpuSeconds(pid) - (before.get(pid) ?? 0));
        }
        result[name] = sum;
      }
      const machineBusy = machineEnd.busy - machineStart.busy;
      const accounted = Object.values(result).reduce((a, b) => a + b, 0);
      return {
        wallSeconds,
        groups: result,
        other: Math.max(0, machineBusy - accounted),
        machineBusy,
        capacity: machineEnd.total - machineStart.total,
      };
    },
  };
}

/** "api 1.42 (71%), postgres 0.40 (20%), …" of the capacity: where the cores went. */
export function describeCpu(split: CpuSplit): string {
  const pct = (value: number) => `${Math.round((100 * value) / split.capacity)}%`;
  const parts = Object.entries(split.groups)
    .filter(([, seconds]) => seconds > 0.005)
    .map(([name, seconds]) => `${name} ${pct(seconds)}`);
  parts.push(`other ${pct(split.other)}`, `idle ${pct(Math.max(0, split.capacity - split.machineBusy))}`);
  return parts.join(', ');
}

/** The share (0–1) of the machine's CPU busy over the next `seconds`: other work competing with the bench. */
export async function machineBusyShare(seconds: number): Promise<number> {
  const start = machineCpu();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const end = machineCpu();
  return (end.busy - start.busy) / Math.max(1e-9, end.total - start.total);
}
