// Generates a complete authority key set: passport-signing key, root CA, issuing intermediate.
import { createHash, generateKeyPairSync } from 'node:crypto';
import { jwkThumbprint, toPublicJwk } from '../crypto/jwk.js';
import { seal } from '../crypto/kek.js';
import { createIntermediateCa, createRootCa } from '../crypto/x509/ca-certificates.js';
import { caUrls } from '../crypto/x509/ca-urls.js';
import { webcrypto } from '../crypto/x509/setup.js';
import { sealingAad, type AuthorityKeyPurpose, type AuthorityKeyRecord } from './authority-key.js';

export interface GenerateKeySetOptions {
  taName: string;
  kek: Buffer;
  now: Date;
  rootValidityDays?: number;
  intermediateValidityDays?: number;
  /**
   * The TA's public URL: the intermediate then names the root's CRL (cRLDistributionPoints) and
   * certificate (AIA caIssuers). Without it the intermediate carries neither.
   */
  publicUrl?: string;
}

/** RFC 7638 kid of a WebCrypto P-256 public key. */
export async function kidOfCryptoKey(publicKey: CryptoKey): Promise<string> {
  const jwk = (await webcrypto.subtle.exportKey('jwk', publicKey)) as { x: string; y: string };
  return jwkThumbprint({ kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y });
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

/** A new Ed25519 log-signing key (checkpoint signed notes), sealed; kid = RFC 7638 thumbprint (RFC 8037 §2). */
export function generateLogSigningKey(o: GenerateKeySetOptions): AuthorityKeyRecord {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const x = (publicKey.export({ format: 'jwk' }) as { x: string }).x;
  const kid = createHash('sha256')
    .update(`{"crv":"Ed25519","kty":"OKP","x":"${x}"}`)
    .digest('base64url');
  return {
    kid,
    purpose: 'log-signing',
    status: 'active',
    algorithm: 'Ed25519',
    publicJwk: { kty: 'OKP', crv: 'Ed25519', x },
    certificatePem: null,
    sealedPrivateKey: seal(
      o.kek,
      privateKey.export({ format: 'der', type: 'pkcs8' }),
      sealingAad(kid),
    ),
    createdAt: o.now,
    notAfter: null,
  };
}

/** The root's CRL and certificate URLs for an intermediate's extensions, if the URL is known. */
export function rootUrls(
  publicUrl: string | undefined,
  rootKid: string,
): { crlUrl: string; caIssuersUrl: string } | undefined {
  if (!publicUrl) return undefined;
  const urls = caUrls(publicUrl);
  return { crlUrl: urls.crl(rootKid), caIssuersUrl: urls.caIssuers(rootKid) };
}

/** A new root CA and an issuing intermediate signed by it, both sealed. */
export async function generateCaKeys(o: GenerateKeySetOptions): Promise<AuthorityKeyRecord[]> {
  const root = await createRootCa(
    {
      commonName: `${o.taName} Root CA`,
      organization: ORGANIZATION,
      now: o.now,
      validityDays: o.rootValidityDays ?? 3650,
    },
    async (keys) =>
      o.publicUrl ? caUrls(o.publicUrl).crl(await kidOfCryptoKey(keys.publicKey)) : undefined,
  );
  const issuing = await createIntermediateCa(
    {
      commonName: `${o.taName} Issuing CA`,
      organization: ORGANIZATION,
      now: o.now,
      validityDays: o.intermediateValidityDays ?? 1825,
    },
    { certificate: root.certificate, privateKey: root.keys.privateKey },
    rootUrls(o.publicUrl, await kidOfCryptoKey(root.keys.publicKey)),
  );
  return [
    await recordFor(
      'root-ca',
      root.keys.publicKey,
      root.privateKeyPkcs8,
      o,
      root.certificatePem,
      root.certificate.notAfter,
    ),
    await recordFor(
      'issuing-ca',
      issuing.keys.publicKey,
      issuing.privateKeyPkcs8,
      o,
      issuing.certificatePem,
      issuing.certificate.notAfter,
    ),
  ];
}
