// Shared steps of every operation that creates a passport: validate the requested contents,
// sign, and write the passport with its chain link in the caller's transaction.
import { randomId } from '../crypto/random.js';
import { InvalidRequestError } from '../errors.js';
import { pipelined } from '../pipelined.js';
import type { Stores } from '../stores.js';
import { buildChainLink, type BuildLinkInput } from './chain.js';
import type { PassportDeps } from './deps.js';
import { fitsSizeLimit, signPassport, type PassportFields } from './document.js';
import {
  ISSUE_CAPABILITY,
  MAX_CAPABILITIES,
  MAX_PASSPORT_BYTES,
  type PassportRecord,
} from './passport.js';

export const DEFAULT_TTL_DAYS = 90;
export const MAX_TTL_DAYS = 365;
const DAY_MS = 86_400_000;

export function newPassportId(): string {
  return randomId('asp_');
}

export function expiryAfter(from: Date, ttlDays: number | undefined): Date {
  return new Date(from.getTime() + (ttlDays ?? DEFAULT_TTL_DAYS) * DAY_MS);
}

/** Capabilities: unique strings, at most 64; `mcps:issue` only where `allowIssue`. */
export function checkCapabilities(
  caps: string[] | undefined,
  o: { allowIssue: boolean },
): string[] {
  const list = caps ?? [];
  if (list.length > MAX_CAPABILITIES)
    throw InvalidRequestError.field('body.capabilities', `at most ${MAX_CAPABILITIES}`);
  if (new Set(list).size !== list.length)
    throw InvalidRequestError.field('body.capabilities', 'must not repeat a capability');
  if (!o.allowIssue && list.includes(ISSUE_CAPABILITY)) {
    throw InvalidRequestError.field(
      'body.capabilities',
      `${ISSUE_CAPABILITY} is reserved for delegated issuers (POST /v1/passports/issuers)`,
    );
  }
  return list;
}

export interface NewPassport {
  fields: Omit<PassportFields, 'issuer' | 'issuerChain'>;
  publisherId: string;
  subjectName: string;
  agentId: string | null;
  kid: string;
  lineageId: string;
  approvalSeq: number | null;
}

/** The next passport of `old`'s identity (rotation, re-issue): same subject, owner and chain. */
export function successorOf(
  old: PassportRecord,
  o: Pick<
    PassportFields,
    'passportId' | 'publicKey' | 'trustLevel' | 'issuedAt' | 'expiresAt' | 'keyRotation'
  > & {
    kid: string;
    approvalSeq: number | null;
  },
): NewPassport {
  const { kid, approvalSeq, ...fields } = o;
  return {
    fields: {
      subjectType: old.subjectType,
      name: old.document.agent.name,
      version: old.document.agent.version,
      capabilities: old.document.agent.capabilities,
      origin: old.document.origin,
      ...fields,
    },
    publisherId: old.publisherId,
    subjectName: old.subjectName,
    agentId: old.agentId,
    kid,
    lineageId: old.lineageId,
    approvalSeq,
  };
}

/** Signs the passport with the TA key; refuses (400) one whose JCS would exceed 8192 bytes. */
export function signedRecord(d: PassportDeps, n: NewPassport): PassportRecord {
  const document = signPassport({ ...n.fields, issuer: d.issuer, issuerChain: [] }, d.signer);
  if (!fitsSizeLimit(document)) {
    throw InvalidRequestError.field(
      'body',
      `the passport would exceed ${MAX_PASSPORT_BYTES} bytes; shorten capabilities or names`,
    );
  }
  return {
    passportId: n.fields.passportId,
    publisherId: n.publisherId,
    subjectType: n.fields.subjectType,
    subjectName: n.subjectName,
    agentId: n.agentId,
    lineageId: n.lineageId,
    kid: n.kid,
    trustLevel: n.fields.trustLevel,
    state: 'active',
    document,
    issuedAt: n.fields.issuedAt,
    expiresAt: n.fields.expiresAt,
    revokedAt: null,
    revocationReason: null,
    supersededAt: null,
    supersededBy: null,
    approvalSeq: n.approvalSeq,
  };
}

/** Inserts the passport and its countersigned key-continuity link. */
export async function storePassport(
  s: Stores,
  d: PassportDeps,
  record: PassportRecord,
  link: Omit<BuildLinkInput, 'issuer' | 'lineageId' | 'passportId' | 'kid' | 'publicKey'>,
): Promise<void> {
  const chainLink = buildChainLink(
    {
      ...link,
      issuer: d.issuer,
      lineageId: record.lineageId,
      passportId: record.passportId,
      kid: record.kid,
      publicKey: record.document.public_key,
    },
    d.signer,
  );
  // One round trip; the link (which references the passport) is written after the passport.
  await pipelined([s.passports.insert(record), s.chainLinks.insert(chainLink)] as const);
}

/** Audit data common to every passport event: never key material beyond the public kid. */
export function auditData(r: PassportRecord): Record<string, unknown> {
  return {
    passport_id: r.passportId,
    publisher_id: r.publisherId,
    subject_type: r.subjectType,
    subject_name: r.subjectName,
    kid: r.kid,
    trust_level: r.trustLevel,
    expires_at: r.expiresAt.toISOString(),
  };
}
