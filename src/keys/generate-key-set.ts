// Generates a complete authority key set: passport-signing key, root CA, issuing intermediate.
import { generateKeyPairSync } from 'node:crypto';
import { jwkThumbprint, toPublicJwk } from '../crypto/jwk.js';
import { seal } from '../crypto/kek.js';
import { createIntermediateCa, createRootCa } from '../crypto/x509/ca-certificates.js';
import { webcrypto } from '../crypto/x509/setup.js';
import { sealingAad, type AuthorityKeyPurpose, type AuthorityKeyRecord } from './authority-key.js';

export interface GenerateKeySetOptions {
  taName: string;
  kek: Buffer;
  now: Date;
  rootValidityDays?: number;
  intermediateValidityDays?: number;
}

const ORGANIZATION = 'MCPS Trust Authority';

async function recordFor(
  purpose: AuthorityKeyPurpose,
  publicKey: CryptoKey,
  pkcs8: Buffer,
  o: GenerateKeySetOptions,
  certificatePem: string | null,
  notAfter: Date | null,
): Promise<AuthorityKeyRecord> {
  const jwk = (await webcrypto.subtle.exportKey('jwk', publicKey)) as { x: string; y: string };
  const publicJwk = { kty: 'EC' as const, crv: 'P-256' as const, x: jwk.x, y: jwk.y };
  const kid = jwkThumbprint(publicJwk);
  return {
    kid,
    purpose,
    status: 'active',
    algorithm: 'ES256',
    publicJwk,
    certificatePem,
    sealedPrivateKey: seal(o.kek, pkcs8, sealingAad(kid)),
    createdAt: o.now,
    notAfter,
  };
}

/** A new passport-signing key (ES256), sealed. */
export function generatePassportSigningKey(o: GenerateKeySetOptions): AuthorityKeyRecord {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const publicJwk = toPublicJwk(publicKey);
  const kid = jwkThumbprint(publicJwk);
  const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' });
  return {
    kid,
    purpose: 'passport-signing',
    status: 'active',
    algorithm: 'ES256',
    publicJwk,
    certificatePem: null,
    sealedPrivateKey: seal(o.kek, pkcs8, sealingAad(kid)),
    createdAt: o.now,
    notAfter: null,
  };
}

/** A new root CA and an issuing intermediate signed by it, both sealed. */
export async function generateCaKeys(o: GenerateKeySetOptions): Promise<AuthorityKeyRecord[]> {
  const root = await createRootCa({
    commonName: `${o.taName} Root CA`,
    organization: ORGANIZATION,
    now: o.now,
    validityDays: o.rootValidityDays ?? 3650,
  });
  const issuing = await createIntermediateCa(
    {
      commonName: `${o.taName} Issuing CA`,
      organization: ORGANIZATION,
      now: o.now,
      validityDays: o.intermediateValidityDays ?? 1825,
    },
    { certificate: root.certificate, privateKey: root.keys.privateKey },
  );
  return [
    await recordFor('root-ca', root.keys.publicKey, root.privateKeyPkcs8, o, root.certificatePem, root.certificate.notAfter),
    await recordFor('issuing-ca', issuing.keys.publicKey, issuing.privateKeyPkcs8, o, issuing.certificatePem, issuing.certificate.notAfter),
  ];
}
