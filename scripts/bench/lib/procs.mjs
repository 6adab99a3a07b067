// Resident memory of a set of processes and all their descendants, read from /proc.
import { readdirSync, readFileSync } from 'node:fs';

function parentOf(pid) {
  try {
    // The command name (field 2) may contain spaces and parentheses: split after the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

function rssKb(pid) {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/**
 * Roots are PIDs, or `{ pid, name }` for a process whose command name would not tell it apart
 * (the bank's and the shop's serverless-offline are both `node`).
 */
const rootPid = (root) => (typeof root === 'number' ? root : root.pid);

function commOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return String(pid);
  }
}

/** Each process of the trees under `roots` with its label: its root's name, else its own command name. */
function labelledTree(roots) {
  const children = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const parent = parentOf(name);
    if (parent === undefined) continue;
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent).push(Number(name));
  }
  const labels = new Map();
  for (const root of roots) {
    const queue = [rootPid(root)];
    while (queue.length) {
      const pid = queue.shift();
      if (labels.has(pid)) continue;
      labels.set(pid, typeof root === 'number' ? undefined : root.name);
      queue.push(...(children.get(pid) ?? []));
    }
  }
  for (const [pid, label] of labels) if (label === undefined) labels.set(pid, commOf(pid));
  return labels;
}

/** Sum of VmRSS over the tree, in MB, with each process's share and the total per label. */
export function treeRss(roots) {
  const labels = labelledTree(roots);
  const parts = [...labels.keys()].map((pid) => ({ pid, name: labels.get(pid), mb: rssKb(pid) / 1024 }));
  const byName = {};
  for (const part of parts) byName[part.name] = (byName[part.name] ?? 0) + part.mb;
  return { totalMb: parts.reduce((sum, part) => sum + part.mb, 0), parts, byName };
}

/**
 * Samples the tree's RSS every `intervalMs` until stopped. `mark(label)` starts a new phase;
 * the peak of each phase and of the whole run are kept.
 */
export function startRssSampler(roots, intervalMs = 200) {
  const peaks = new Map();
  let phase = 'start';
  let overall = { totalMb: 0, byName: {} };
  let tree = labelledTree(roots);
  let ticks = 0;
  const sample = () => {
    // Re-walk /proc now and then: the stack may start children after it is ready.
    if (ticks++ % 10 === 0) tree = labelledTree(roots);
    const byName = {};
    let totalMb = 0;
    for (const [pid, name] of tree) {
      const mb = rssKb(pid) / 1024;
      totalMb += mb;
      byName[name] = (byName[name] ?? 0) + mb;
    }
    if (totalMb > overall.totalMb) overall = { totalMb, byName };
    if (totalMb > (peaks.get(phase)?.totalMb ?? 0)) peaks.set(phase, { totalMb, byName });
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    mark(label) {
      sample();
      phase = label;
      sample();
    },
    /** `{ totalMb, byName }` at the phase's peak. */
    peak: (label) => peaks.get(label) ?? { totalMb: Number.NaN, byName: {} },
    overall: () => overall,
    stop() {
      clearInterval(timer);
      sample();
    },
  };
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU time (user + system, ms) used so far by each process of the tree, keyed by label (root name or command name). */
function cpuSnapshot(roots) {
  const byName = {};
  for (const [pid, name] of labelledTree(roots)) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ms = ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
      byName[name] = (byName[name] ?? 0) + ms;
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return byName;
}

/** Busy CPU time of the whole machine so far (all CPUs, ms), from /proc/stat. */
function machineBusyMs() {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq, steal] = fields.map(Number);
  return ((user + nice + system + irq + softirq + steal) * 1000) / TICKS_PER_SECOND;
}

/**
 * CPU ms per request spent by each stack process and by the load generator, plus `others`: what
 * the rest of the machine used meanwhile, in ms of CPU per second of run (other people's jobs on a
 * shared machine; near 0 on a quiet one). The load generator is the child's own report when the
 * run had one (`generatorCpuMs`, lib/load.mjs runLoadApart), else this process.
 */
export function cpuMeter(roots) {
  const stackBefore = cpuSnapshot(roots);
  const selfBefore = process.cpuUsage();
  const machineBefore = machineBusyMs();
  const started = performance.now();
  return (/** @type {number} */ requests, /** @type {number | undefined} */ generatorCpuMs = undefined) => {
    const stackAfter = cpuSnapshot(roots);
    const self = process.cpuUsage(selfBefore);
    const machine = machineBusyMs() - machineBefore;
    const perRequest = {};
    let ours = 0;
    for (const [name, ms] of Object.entries(stackAfter)) {
      const used = ms - (stackBefore[name] ?? 0);
      ours += used;
      perRequest[name] = used / requests;
    }
    const selfMs = (self.user + self.system) / 1000;
    // This process (its meters, its reading of the stack's logs) is ours, but not the load generator when one ran apart.
    ours += selfMs + (generatorCpuMs ?? 0);
    perRequest['load generator'] = (generatorCpuMs ?? selfMs) / requests;
    const seconds = (performance.now() - started) / 1000;
    return { perRequest, othersMsPerS: Math.max(0, machine - ours) / seconds };
  };
}

/** CPU ms of the children this process has already reaped (cold-start runs, harnesses, packaging). */
function reapedChildrenCpuMs() {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // cutime and cstime are fields 16 and 17 (13 and 14 after the command name).
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / TICKS_PER_SECOND;
}

/**
 * How much CPU the rest of the machine used while a phase ran (ms of CPU per second): the
 * machine's busy time minus this process, its live descendants (the stack, the esbuild
 * service, harnesses) and the children it reaped. A run on a shared machine thus says which
 * of its numbers other people's jobs may have disturbed.
 */
export function noiseMeter() {
  const ours = () => Object.values(cpuSnapshot([process.pid])).reduce((a, b) => a + b, 0) + reapedChildrenCpuMs();
  const before = { machine: machineBusyMs(), ours: ours(), at: performance.now() };
  return () => {
    const machine = machineBusyMs() - before.machine;
    const used = ours() - before.ours;
    const seconds = (performance.now() - before.at) / 1000;
    return Math.max(0, machine - used) / seconds;
  };
}
