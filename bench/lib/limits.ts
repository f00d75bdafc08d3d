// Physical limits measured in the same run: raw node:crypto ECDSA P-256 with cached KeyObjects
// and P1363 encoding (the fastest way Node signs; STACK-NOTES.md lists ~49,500 sign/s).
import { generateKeyPairSync, sign, verify } from 'node:crypto';
import type { Figure } from './report.js';

function perSecond(ms: number, fn: () => void): number {
  // warm up, then count operations for `ms`
  for (let i = 0; i < 500; i += 1) fn();
  let n = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < 200; i += 1) fn();
    n += 200;
    now = performance.now();
  }
  return (n * 1000) / (now - start);
}

export interface EcdsaLimits {
  sign: Figure;
  verify: Figure;
  signPlusVerify: Figure;
}

/** One core: sign/s, verify/s, and sign+verify pairs/s over a 200-byte message. */
export function measureEcdsaLimits(ms = 1500): EcdsaLimits {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const data = Buffer.alloc(200, 7);
  const sig = sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
  const s = perSecond(ms, () =>
    sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' }),
  );
  const v = perSecond(ms, () =>
    verify('sha256', data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, sig),
  );
  const sv = perSecond(ms, () => {
    const x = sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
    verify('sha256', data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, x);
  });
  const how = 'node:crypto, cached KeyObject, P1363, one core';
  return {
    sign: { value: s, unit: 'sign/s', how },
    verify: { value: v, unit: 'verify/s', how },
    signPlusVerify: { value: sv, unit: 'sign+verify/s', how },
  };
}
