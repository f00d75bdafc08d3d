// The client verifier library: passports checked per second on one core (signature, issuer chain,
// expiry, revocation lookup in a 10,000-entry feed), beside raw node:crypto verify/s measured in
// the same run — a passport check is one ECDSA verify plus JCS and the strict shape checks.
// Passports are signed here by a local TA key with the service's own code (src/passports/document.ts),
// as the service would sign them; the service process is not involved.
import { generateKeyPairSync } from 'node:crypto';
import { createP256Signer } from '../../src/crypto/signer.js';
import { ANCHORS_TYPE, signAnchors } from '../../src/keys/anchors.js';
import { signPassport } from '../../src/passports/document.js';
import {
  checkPassport,
  createRevocationSet,
  trustedKeys,
  type FeedEntry,
} from '../../src/verifier/index.js';
import type { BenchContext } from '../run.js';

const PASSPORTS = 20_000;
const SUBJECT_KEYS = 2_000;
const REVOKED = 10_000;

export async function verifier(ctx: BenchContext): Promise<void> {
  const now = new Date();
  const ta = createP256Signer(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
  const anchors = signAnchors(
    {
      type: ANCHORS_TYPE,
      issuer: 'bench-ta.example',
      version: 1,
      issued_at: now.toISOString(),
      expires_at: new Date(now.getTime() + 86_400_000).toISOString(),
      keys: [{ ...ta.publicJwk, kid: ta.kid, alg: 'ES256', use: 'sig', status: 'active' }],
      ca_certificates: [],
      revoked_kids: [],
    },
    [ta],
  );
  const keys = trustedKeys(anchors);
  const subjects = Array.from(
    { length: SUBJECT_KEYS },
    () => createP256Signer(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey).publicJwk,
  );
  const id = (i: number) => `asp_${i.toString(16).padStart(32, '0')}`;
  // As a client receives them: parsed from JSON text.
  const passports = Array.from(
    { length: PASSPORTS },
    (_, i) =>
      JSON.parse(
        JSON.stringify(
          signPassport(
            {
              passportId: id(i),
              subjectType: 'agent',
              name: `agent-${i}`,
              version: '1.0.0',
              capabilities: ['tools:read', 'tools:call'],
              publicKey: subjects[i % SUBJECT_KEYS]!,
              origin: null,
              trustLevel: 2,
              issuedAt: new Date(now.getTime() - 60_000),
              expiresAt: new Date(now.getTime() + 86_400_000),
              issuer: 'bench-ta.example',
              issuerChain: [],
            },
            ta,
          ),
        ),
      ) as unknown,
  );
  const revoked: FeedEntry[] = Array.from({ length: REVOKED }, (_, i) => ({
    seq: i + 1,
    kind: 'passport',
    subject: id(PASSPORTS + i),
    reason: 'keyCompromise',
    revoked_at: now.toISOString(),
    data: {},
  }));
  const revocations = createRevocationSet(revoked);
  const options = { keys, revocations, now };

  for (let i = 0; i < 1000; i += 1) checkPassport(passports[i]!, options); // warm up
  const seconds = Math.min(ctx.seconds, 5);
  let n = 0;
  let failed = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < seconds * 1000) {
    for (let i = 0; i < 500; i += 1)
      if (!checkPassport(passports[(n + i) % PASSPORTS]!, options).ok) failed += 1;
    n += 500;
    elapsed = performance.now() - start;
  }
  if (failed > 0) throw new Error(`${failed} of ${n} passports failed verification`);
  ctx.add({
    group: 'verifier',
    name: 'checkPassport (signature, expiry, revocation)',
    figure: {
      value: (n * 1000) / elapsed,
      unit: 'passports/s',
      how: `one core, ${PASSPORTS} passports, ${REVOKED}-entry feed`,
    },
    limit: ctx.limits.ecdsaVerify,
    details: `${n} verified in ${(elapsed / 1000).toFixed(1)} s; target ≥ 10,000/s`,
  });
}
