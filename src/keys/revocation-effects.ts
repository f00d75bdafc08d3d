// What an authority-key revocation takes down, counted by kind from the revocation feed entries it
// wrote (so whatever the cascade reaches — passports, certificates, issuing CAs — is counted the
// same way clients will see it), plus the manifests it re-signed.
import type { Stores } from '../stores.js';

export interface KeyRevocationEffects {
  revoked: { passports: number; certificates: number; issuing_cas: number };
  re_signed: { manifests: number };
}

const PAGE = 1000;

/** Feed entries with seq > `since`, by kind (inside the revocation's transaction). */
export async function countFeedSince(
  s: Stores,
  since: number,
): Promise<KeyRevocationEffects['revoked']> {
  const counts = { passports: 0, certificates: 0, issuing_cas: 0 };
  for (let after = since; ;) {
    const page = await s.revocations.listSince(after, PAGE);
    for (const r of page) {
      if (r.kind === 'passport') counts.passports += 1;
      else if (r.kind === 'certificate') counts.certificates += 1;
      else if (r.kind === 'key' && r.data.purpose === 'issuing-ca') counts.issuing_cas += 1;
    }
    if (page.length < PAGE) return counts;
    after = page[page.length - 1]!.seq;
  }
}
