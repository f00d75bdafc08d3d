// Standalone: the CRL comparison of bench/lib/crl-comparison.ts, printed as a table.
//   npx tsx bench/crl.ts [--count 1000000]     (npm run bench runs it as the `crl` suite)
import { compareCrlBuilders } from './lib/crl-comparison.js';

const countArg = process.argv.indexOf('--count');
const count = countArg > 0 ? Number(process.argv[countArg + 1]) : 1_000_000;
const r = await compareCrlBuilders(count);
console.log(`CRL with ${count.toLocaleString('en-US')} revoked serials (P-256, ecdsa-with-SHA256)`);
console.log(
  `| ours (CrlWriter, in-process) | ${(r.oursMs / 1000).toFixed(2)} s | peak ${r.oursPeakMiB.toFixed(0)} MiB (+${r.oursDeltaMiB.toFixed(0)} MiB) | ${r.oursSizeMiB.toFixed(1)} MiB |`,
);
console.log(
  `| openssl ca -gencrl (process)  | ${(r.opensslMs / 1000).toFixed(2)} s | peak ${r.opensslPeakMiB.toFixed(0)} MiB | ${r.opensslSizeMiB.toFixed(1)} MiB |`,
);
console.log(`openssl crl -noout -CAfile on ours: ${r.check}`);
if (!r.verified) process.exitCode = 1;
