// Publishes the next trust-anchor version inside the caller's transaction: signed by the active
// key(s) of the previous version and by the now-active key(s).
import { appendAuditEvent } from '../audit/append.js';
import type { Clock } from '../clock.js';
import { open } from '../crypto/kek.js';
import { createP256Signer, type P256Signer } from '../crypto/signer.js';
import type { TxStores } from '../stores.js';
import { anchorsBody, signAnchors, type AnchorsDocument } from './anchors.js';
import { sealingAad, type AuthorityKeyRecord } from './authority-key.js';

export interface PublishAnchorsOptions {
  issuer: string;
  kek: Buffer;
  actor: string;
}

/** The signer of a stored key, opened with the KEK. */
export function signerFor(r: AuthorityKeyRecord, kek: Buffer): P256Signer {
  return createP256Signer(open(kek, r.sealedPrivateKey, sealingAad(r.kid)));
}

/** Writes version latest+1 from the current key records and audits it. Call under the 'authority-keys' lock. */
export async function publishAnchors(
  s: TxStores,
  clock: Clock,
  o: PublishAnchorsOptions,
): Promise<AnchorsDocument> {
  const keys = await s.keys.listAll();
  const previous = await s.anchors.latest();
  const version = (previous?.version ?? 0) + 1;
  const body = anchorsBody({ issuer: o.issuer, version, now: clock.now(), keys });

  const signers: P256Signer[] = [];
  if (previous) {
    for (const k of previous.keys.filter((k) => k.status === 'active')) {
      const record = keys.find((r) => r.kid === k.kid);
      if (record && record.status !== 'revoked') signers.push(signerFor(record, o.kek));
    }
    if (signers.length === 0)
      throw new Error(
        `no usable key of anchors version ${previous.version} can sign version ${version}`,
      );
  }
  const own = keys.filter((k) => k.purpose === 'passport-signing' && k.status === 'active');
  if (own.length === 0) throw new Error('no active passport-signing key to sign trust anchors');
  signers.push(...own.map((k) => signerFor(k, o.kek)));

  const doc = signAnchors(body, signers);
  await s.anchors.insert(doc, clock.now());
  await appendAuditEvent(s, clock, {
    actor: o.actor,
    action: 'trust_anchors.published',
    subject: `trust_anchors:${version}`,
    data: { version, signed_by: doc.signatures.map((x) => x.kid) },
  });
  return doc;
}
