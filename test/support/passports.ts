// A passport client for tests: subject keys, proofs of possession and rotation statements made
// with jose (standard JOSE, as real clients would), and issuance through the HTTP API.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { CompactSign } from 'jose';
import { jwkThumbprint, type EcPublicJwk } from '../../src/crypto/jwk.js';
import { recordPrivateKeyPem, recordSecret } from './secrets-ledger.js';
import type { TestResponse, TestService } from './service.js';

export interface SubjectKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
  jwk: EcPublicJwk;
  kid: string;
}

export function newSubjectKey(curve: 'P-256' | 'P-384' = 'P-256'): SubjectKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: curve });
  recordSecret(
    (privateKey.export({ format: 'jwk' }) as { d: string }).d,
    'subject private key (JWK d)',
  );
  recordPrivateKeyPem(
    privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    'subject private key',
  );
  const full = publicKey.export({ format: 'jwk' }) as EcPublicJwk;
  const jwk = { kty: full.kty, crv: full.crv, x: full.x, y: full.y } as EcPublicJwk;
  return { privateKey, publicKey, jwk, kid: jwkThumbprint(jwk) };
}

export async function signJws(
  key: KeyObject,
  typ: string,
  payload: Record<string, unknown>,
): Promise<string> {
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: 'ES256', typ })
    .sign(key);
}

const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

export function popProof(
  key: SubjectKeyPair,
  nonce: string,
  o: { aud: string; iat?: number },
): Promise<string> {
  return signJws(key.privateKey, 'mcps-pop+jwt', {
    nonce,
    aud: o.aud,
    iat: o.iat ?? seconds(new Date()),
  });
}

export function rotationStatement(
  signer: SubjectKeyPair,
  o: { passportId: string; newKid: string; nonce: string; iat?: number },
): Promise<string> {
  return signJws(signer.privateKey, 'mcps-rotation+jwt', {
    passport_id: o.passportId,
    new_kid: o.newKid,
    nonce: o.nonce,
    iat: o.iat ?? seconds(new Date()),
  });
}

export async function challenge(ta: TestService, token: string): Promise<string> {
  const res = await ta.request('POST', '/v1/passports/challenge', { token });
  if (res.status !== 201) throw new Error(`challenge: ${res.status} ${res.text}`);
  return res.json.nonce as string;
}

export interface IssueOptions {
  name?: string;
  key?: SubjectKeyPair;
  capabilities?: string[];
  origin?: string | null;
  ttlDays?: number;
  iat?: number;
  extra?: Record<string, unknown>;
}

/** Challenge → proof → POST /v1/passports for an agent; returns the response and the key. */
export async function issueAgentPassport(
  ta: TestService,
  token: string,
  o: IssueOptions = {},
): Promise<{ res: TestResponse; key: SubjectKeyPair }> {
  const key = o.key ?? newSubjectKey();
  const nonce = await challenge(ta, token);
  const proof = await popProof(key, nonce, { aud: ta.config.taName, iat: o.iat });
  const res = await ta.request('POST', '/v1/passports', {
    token,
    body: {
      subject_type: 'agent',
      name: o.name ?? 'support-bot',
      capabilities: o.capabilities ?? ['tools:read'],
      ...(o.origin !== undefined ? { origin: o.origin } : {}),
      public_key: key.jwk,
      proof,
      ...(o.ttlDays ? { ttl_days: o.ttlDays } : {}),
      ...o.extra,
    },
  });
  return { res, key };
}

/** Rotates `passportId` from `oldKey` to a fresh key; returns the response and the new key. */
export async function rotate(
  ta: TestService,
  token: string,
  passportId: string,
  oldKey: SubjectKeyPair,
  o: { statementSigner?: SubjectKeyPair; newKey?: SubjectKeyPair; iat?: number } = {},
): Promise<{ res: TestResponse; key: SubjectKeyPair }> {
  const key = o.newKey ?? newSubjectKey();
  const nonce = await challenge(ta, token);
  const rotation = await rotationStatement(o.statementSigner ?? oldKey, {
    passportId,
    newKid: key.kid,
    nonce,
    iat: o.iat,
  });
  const proof = await popProof(key, nonce, { aud: ta.config.taName, iat: o.iat });
  const res = await ta.request('POST', `/v1/passports/${passportId}/rotate`, {
    token,
    body: { public_key: key.jwk, proof, rotation },
  });
  return { res, key };
}

/** Row counts of everything an issuance writes (audit: successful events; a refusal is logged as `refused`). */
export async function passportRowCounts(
  ta: TestService,
): Promise<{ passports: number; agents: number; links: number; audit: number }> {
  const [row] = await ta.db.sql(
    `select (select count(*) from passports)::int as passports, (select count(*) from agents)::int as agents,
            (select count(*) from passport_chain_links)::int as links, (select count(*) from audit_events where outcome = 'success')::int as audit`,
  );
  return row as { passports: number; agents: number; links: number; audit: number };
}
