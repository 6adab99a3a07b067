// The load generator in a process of its own: one run of lib/load.mjs with the options given as
// JSON, and the CPU this process spent on it (user + system, ms), so that a run's CPU per request
// charges the generator with its own work, not with the bench's meters and its reading of the
// stack's logs.
// Usage: node load-generator.mjs <result.json> '<runLoad options as JSON>'
import { writeFileSync } from 'node:fs';
import { runLoad } from '../lib/load.mjs';

const [resultFile, options] = process.argv.slice(2);
const before = process.cpuUsage();
const result = await runLoad(JSON.parse(options));
const cpu = process.cpuUsage(before);
writeFileSync(resultFile, JSON.stringify({ ...result, generatorCpuMs: (cpu.user + cpu.system) / 1000 }));
