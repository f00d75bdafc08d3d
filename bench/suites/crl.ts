// A CRL of 1,000,000 revoked serials: our streaming DER writer against `openssl ca -gencrl` over
// the same serials in the same run (time and peak memory); `openssl crl` must verify ours.
// BENCH_CRL_COUNT changes the size.
import { compareCrlBuilders } from '../lib/crl-comparison.js';
import type { BenchContext } from '../run.js';

export async function crl(ctx: BenchContext): Promise<void> {
  const count = Number(process.env.BENCH_CRL_COUNT ?? 1_000_000);
  const r = await compareCrlBuilders(count);
  if (!r.verified) throw new Error(`openssl did not verify our CRL: ${r.check}`);
  const limit = {
    value: r.opensslMs / 1000,
    unit: 's',
    how: 'openssl ca -gencrl, same serials',
    name: 'openssl ca -gencrl',
  };
  ctx.add({
    group: 'crl',
    name: `build + sign CRL of ${count.toLocaleString('en-US')} serials`,
    figure: { value: r.oursMs / 1000, unit: 's', how: 'CrlWriter in-process' },
    limit,
    lowerIsBetter: true,
    details: `ours peak RSS +${r.oursDeltaMiB.toFixed(0)} MiB (process ${r.oursPeakMiB.toFixed(0)} MiB, serials in memory) vs openssl peak ${r.opensslPeakMiB.toFixed(0)} MiB; DER ${r.oursSizeMiB.toFixed(1)} MiB vs ${r.opensslSizeMiB.toFixed(1)} MiB; \`openssl crl -CAfile\`: ${r.check}`,
  });
}
