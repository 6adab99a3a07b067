// Time per bcryptjs hash and compare at a few costs, to choose BCRYPT_COST (see README).
// Usage: node scripts/bench/bcrypt-cost.mjs [runs]
import bcrypt from 'bcryptjs';

const runs = Number(process.argv[2] ?? 10);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

console.log('cost | hash p50 (ms) | compare p50 (ms)');
for (const cost of [10, 11, 12]) {
  const hashes = [];
  const compares = [];
  let hash = '';
  for (let i = 0; i < runs; i++) {
    let started = performance.now();
    hash = await bcrypt.hash(`password-${i}`, cost);
    hashes.push(performance.now() - started);
    started = performance.now();
    await bcrypt.compare(`password-${i}`, hash);
    compares.push(performance.now() - started);
  }
  console.log(`${String(cost).padStart(4)} | ${median(hashes).toFixed(1).padStart(13)} | ${median(compares).toFixed(1).padStart(16)}`);
}
