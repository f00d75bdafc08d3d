// First start creates the authority key set; every later start reuses it. Runs under a lock so
// two instances starting at once on an empty database end with exactly one key set.
import { appendAuditEvent } from '../audit/append.js';
import type { Persistence } from '../stores.js';
import type { AuthorityKeyPurpose, AuthorityKeyRecord } from './authority-key.js';
import {
  generateCaKeys,
  generateLogSigningKey,
  generatePassportSigningKey,
} from './generate-key-set.js';
import { createLiveKeyring, type LiveKeyring } from './live-keyring.js';
import { publishAnchors } from './publish-anchors.js';

export interface EnsureKeySetOptions {
  taName: string;
  kek: Buffer;
  /** The TA's public URL, written into the intermediate's CRL distribution point and AIA. */
  publicUrl?: string;
}

/**
 * Creates whatever active authority key is missing (auditing each), publishes trust-anchor
 * version 1 if there is none, then loads the keyring.
 */
export async function ensureAuthorityKeys(
  p: Persistence,
  o: EnsureKeySetOptions,
): Promise<LiveKeyring> {
  await p.transact(async (s) => {
    await s.locks.acquire('authority-keys');
    const existing = await s.keys.listAll();
    const hasActive = (purpose: AuthorityKeyPurpose) =>
      existing.some((k) => k.purpose === purpose && k.status === 'active');
    const now = p.clock.now();
    const created: AuthorityKeyRecord[] = [];
    if (!hasActive('passport-signing')) created.push(generatePassportSigningKey({ ...o, now }));
    // A key set made before the transparency log existed gets its log key on the next start.
    if (!hasActive('log-signing')) created.push(generateLogSigningKey({ ...o, now }));
    if (!hasActive('root-ca') || !hasActive('issuing-ca')) {
      if (hasActive('root-ca') || hasActive('issuing-ca')) {
        // A half CA would mean someone deleted rows by hand; refuse rather than guess.
        throw new Error(
          'the database holds only one of the root and issuing CA keys; refusing to continue',
        );
      }
      created.push(...(await generateCaKeys({ ...o, now })));
    }
    for (const record of created) {
      await s.keys.insert(record);
      await appendAuditEvent(s, p.clock, {
        actor: 'system',
        action: 'authority_key.created',
        subject: `authority_key:${record.kid}`,
        data: { kid: record.kid, purpose: record.purpose, algorithm: record.algorithm },
      });
    }
    if (created.length > 0 || !(await s.anchors.latest())) {
      await publishAnchors(s, p.clock, { issuer: o.taName, kek: o.kek, actor: 'system' });
    }
  });
  return createLiveKeyring(p, o.kek);
}
