// Authority key rotation: prepare a new passport-signing key or issuing intermediate, activate it
// (the old one becomes `retiring`: still published so what it signed keeps verifying), retire it
// once nothing it signed is still valid, or revoke a compromised one (which revokes everything it
// signed: revoke-signed.ts). Every step publishes a new trust-anchor version, signed by the
// previous version's key and the new one. Revocation and activation also re-sign the manifests
// left signed only by revoked keys (resign-manifests.ts); a revocation can be previewed (dry run).
import { appendAuditEvent } from '../audit/append.js';
import { ConflictError, InvalidRequestError, NotFoundError } from '../errors.js';
import { createIntermediateCa } from '../crypto/x509/ca-certificates.js';
import { webcrypto, x509 } from '../crypto/x509/setup.js';
import { jwkThumbprint } from '../crypto/jwk.js';
import { seal } from '../crypto/kek.js';
import type { Persistence, Stores, TxStores } from '../stores.js';
import { sealingAad, type AuthorityKeyRecord } from './authority-key.js';
import { generatePassportSigningKey, rootUrls } from './generate-key-set.js';
import type { Keyring } from './keyring.js';
import { publishAnchors } from './publish-anchors.js';
import { resignManifestsOfRevokedKeys } from './resign-manifests.js';
import { revokeWhatKeySigned, type RevokeCertificatesIssuedBy } from './revoke-signed.js';
import { countFeedSince, type KeyRevocationEffects } from './revocation-effects.js';

export type RotatablePurpose = 'passport-signing' | 'issuing-ca';

/** RFC 5280 §5.3.1 reasons an authority key may be revoked for. */
export const AUTHORITY_KEY_REVOCATION_REASONS = [
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'unspecified',
] as const;
export type AuthorityKeyRevocationReason = (typeof AUTHORITY_KEY_REVOCATION_REASONS)[number];

export interface KeyLifecycleContext {
  taName: string;
  kek: Buffer;
  keyring: Keyring;
  /** `token:…`, `admin:…` or `cli`. */
  actor: string;
  /**
   * The TA's public URL: a new intermediate then names the root's CRL (cRLDistributionPoints) and
   * certificate (AIA caIssuers). Without it the intermediate carries neither.
   */
  publicUrl?: string;
  /** Revokes the certificates a revoked issuing intermediate issued (src/wiring/keys-to-certificates.ts). */
  revokeCertificatesIssuedBy?: RevokeCertificatesIssuedBy;
}

async function requireKey(s: Stores, kid: string): Promise<AuthorityKeyRecord> {
  const k = (await s.keys.listAll()).find((r) => r.kid === kid);
  if (!k) throw new NotFoundError(`no authority key ${kid}`);
  return k;
}

/** A change of one authority key: the authority-keys lock taken, then the key read. */
function onAuthorityKey<T>(
  p: Persistence,
  kid: string,
  fn: (s: TxStores, key: AuthorityKeyRecord) => Promise<T>,
): Promise<T> {
  return p.transact(async (s) => {
    await s.locks.acquire('authority-keys');
    return fn(s, await requireKey(s, kid));
  });
}

async function newIssuingCa(ctx: KeyLifecycleContext, now: Date): Promise<AuthorityKeyRecord> {
  const rootKey = await webcrypto.subtle.importKey(
    'pkcs8',
    ctx.keyring.root.privateKey.export({ format: 'der', type: 'pkcs8' }),
    { name: 'ECDSA', namedCurve: 'P-256' },
    false,
    ['sign'],
  );
  const ca = await createIntermediateCa(
    {
      commonName: `${ctx.taName} Issuing CA`,
      organization: 'MCPS Trust Authority',
      now,
      validityDays: 1825,
    },
    { certificate: new x509.X509Certificate(ctx.keyring.root.certificatePem), privateKey: rootKey },
    rootUrls(ctx.publicUrl, ctx.keyring.root.kid),
  );
  const jwk = (await webcrypto.subtle.exportKey('jwk', ca.keys.publicKey)) as {
    x: string;
    y: string;
  };
  const publicJwk = { kty: 'EC' as const, crv: 'P-256' as const, x: jwk.x, y: jwk.y };
  const kid = jwkThumbprint(publicJwk);
  return {
    kid,
    purpose: 'issuing-ca',
    status: 'pending',
    algorithm: 'ES256',
    publicJwk,
    certificatePem: ca.certificatePem,
    sealedPrivateKey: seal(ctx.kek, ca.privateKeyPkcs8, sealingAad(kid)),
    createdAt: now,
    notAfter: ca.certificate.notAfter,
  };
}

/** Generates a new key of `purpose` in state `pending`. */
export async function prepareAuthorityKey(
  p: Persistence,
  ctx: KeyLifecycleContext,
  purpose: RotatablePurpose,
): Promise<AuthorityKeyRecord> {
  const now = p.clock.now();
  const record =
    purpose === 'passport-signing'
      ? {
          ...generatePassportSigningKey({ taName: ctx.taName, kek: ctx.kek, now }),
          status: 'pending' as const,
        }
      : await newIssuingCa(ctx, now);
  await p.transact(async (s) => {
    await s.locks.acquire('authority-keys');
    await s.keys.insert(record);
    await appendAuditEvent(s, p.clock, {
      actor: ctx.actor,
      action: 'authority_key.prepared',
      subject: `authority_key:${record.kid}`,
      data: { kid: record.kid, purpose },
    });
  });
  return record;
}

/** pending → active; the previously active key of that purpose → retiring. */
export async function activateAuthorityKey(
  p: Persistence,
  ctx: KeyLifecycleContext,
  kid: string,
): Promise<AuthorityKeyRecord> {
  return onAuthorityKey(p, kid, async (s, key) => {
    if (key.status !== 'pending')
      throw new ConflictError(`key ${kid} is ${key.status}; only a pending key can be activated`);
    const previous = (await s.keys.listAll()).filter(
      (k) => k.purpose === key.purpose && k.status === 'active',
    );
    for (const old of previous) await s.keys.updateStatus(old.kid, 'retiring');
    await s.keys.updateStatus(kid, 'active');
    // A revoked key may have left versions signed by no valid key: the new active key signs them.
    const resigned =
      key.purpose === 'passport-signing'
        ? await resignManifestsOfRevokedKeys(s, p.clock, {
            kek: ctx.kek,
            actor: ctx.actor,
            reason: `authority key ${kid} activated; replaces signatures of revoked keys`,
            subject: `authority_key:${kid}`,
          })
        : [];
    await appendAuditEvent(s, p.clock, {
      actor: ctx.actor,
      action: 'authority_key.activated',
      subject: `authority_key:${kid}`,
      data: {
        kid,
        purpose: key.purpose,
        previous: previous.map((k) => k.kid),
        re_signed_manifests: resigned.length,
      },
    });
    await publishAnchors(s, p.clock, { issuer: ctx.taName, kek: ctx.kek, actor: ctx.actor });
    return { ...key, status: 'active' };
  });
}

/** retiring → retired: no longer published. Only once nothing it signed is still relied on. */
export async function retireAuthorityKey(
  p: Persistence,
  ctx: KeyLifecycleContext,
  kid: string,
): Promise<AuthorityKeyRecord> {
  return onAuthorityKey(p, kid, async (s, key) => {
    if (key.status !== 'retiring')
      throw new ConflictError(`key ${kid} is ${key.status}; only a retiring key can be retired`);
    // TODO: nothing checks what the key signed: retiring it while passports or certificates it
    // signed are unexpired makes their signatures stop verifying for clients (it leaves the
    // anchors), so the operator must wait for them to expire. Refusing would count them first.
    await s.keys.updateStatus(kid, 'retired');
    await appendAuditEvent(s, p.clock, {
      actor: ctx.actor,
      action: 'authority_key.retired',
      subject: `authority_key:${kid}`,
      data: { kid, purpose: key.purpose },
    });
    await publishAnchors(s, p.clock, { issuer: ctx.taName, kek: ctx.kek, actor: ctx.actor });
    return { ...key, status: 'retired' };
  });
}

export interface KeyRevocationOutcome {
  /** The key as it is now: revoked, or unchanged after a dry run. */
  key: AuthorityKeyRecord;
  /** True when nothing was written (a preview). */
  dryRun: boolean;
  effects: KeyRevocationEffects;
}

/** Carries a dry run's outcome out of its transaction, which it rolls back. */
class DryRunRollback extends Error {
  constructor(readonly outcome: KeyRevocationOutcome) {
    super('dry run');
  }
}

/**
 * A compromised key: revoked at once and listed in the anchors' `revoked_kids`, with everything it
 * signed — in the same transaction, each in the revocation feed (revoke-signed.ts); manifests it
 * signed are re-signed by the active key. The active key cannot be revoked directly — activate a
 * successor first, so clients can follow the change.
 *
 * With `dryRun`, the very same transaction runs and is rolled back: the effects counted are
 * exactly what the revocation would do at this moment, and nothing is written (no key state, no
 * feed entry, no audit event, no anchors version).
 */
export async function revokeAuthorityKey(
  p: Persistence,
  ctx: KeyLifecycleContext,
  kid: string,
  reason: string,
  o: { dryRun?: boolean } = {},
): Promise<KeyRevocationOutcome> {
  try {
    return await onAuthorityKey(p, kid, async (s, key) => {
      if (key.purpose === 'root-ca')
        throw InvalidRequestError.field('path.kid', 'the root CA cannot be revoked here');
      if (key.status === 'active')
        throw new ConflictError(`key ${kid} is active: activate a successor first, then revoke it`);
      const none: KeyRevocationEffects = {
        revoked: { passports: 0, certificates: 0, issuing_cas: 0 },
        re_signed: { manifests: 0 },
      };
      if (key.status === 'revoked') return { key, dryRun: o.dryRun === true, effects: none };
      const feedBefore = await s.revocations.lastSeq();
      await s.keys.updateStatus(kid, 'revoked');
      const revoked = await revokeWhatKeySigned(s, p.clock, key, {
        reason,
        at: p.clock.now(),
        actor: ctx.actor,
        revokeCertificatesIssuedBy: ctx.revokeCertificatesIssuedBy,
      });
      const resigned =
        key.purpose === 'passport-signing'
          ? await resignManifestsOfRevokedKeys(s, p.clock, {
              kek: ctx.kek,
              actor: ctx.actor,
              reason: `authority key ${kid} revoked (${reason})`,
              subject: `authority_key:${kid}`,
            })
          : [];
      const effects: KeyRevocationEffects = {
        revoked: await countFeedSince(s, feedBefore),
        re_signed: { manifests: resigned.length },
      };
      await appendAuditEvent(s, p.clock, {
        actor: ctx.actor,
        action: 'authority_key.revoked',
        subject: `authority_key:${kid}`,
        data: {
          kid,
          purpose: key.purpose,
          reason,
          revocation_seq: revoked.keySeq,
          revoked_passports: revoked.passports,
          revoked_certificates: revoked.certificates,
          re_signed_manifests: resigned.length,
        },
      });
      if (key.status !== 'pending')
        await publishAnchors(s, p.clock, { issuer: ctx.taName, kek: ctx.kek, actor: ctx.actor });
      // A dry run went through every step, so anything that would refuse the revocation did.
      if (o.dryRun) throw new DryRunRollback({ key, dryRun: true, effects });
      return { key: { ...key, status: 'revoked' }, dryRun: false, effects };
    });
  } catch (err) {
    if (err instanceof DryRunRollback) return err.outcome;
    throw err;
  }
}
