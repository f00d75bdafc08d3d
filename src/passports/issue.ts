// Issuance (DESIGN.md §4.1): proof of possession of the key, then a TA-signed passport for an
// agent (created under the caller's publisher on first use), a registered server of the caller,
// or — admins only — a delegated issuer. Nonce, agent, passport, chain link and audit event are
// written in one transaction: all or nothing.
import { asRefusal, recordRefusal, refusalOf } from '../audit/refused.js';
import { appendAuditEvent } from '../audit/append.js';
import { randomId } from '../crypto/random.js';
import { ForbiddenError, InvalidRequestError } from '../errors.js';
import { originNotProven } from '../registry/origin-proof.js';
import { PUBLISHER_NAME_PATTERN } from '../registry/publisher.js';
import { pipelined } from '../pipelined.js';
import { assertKeyUsable } from '../revocation/follow-key.js';
import { actorOf, type Principal } from '../auth/principal.js';
import type { TxStores } from '../stores.js';
import { consumeNonces } from './challenge.js';
import type { PassportDeps } from './deps.js';
import { parseOrigin } from './origin-pattern.js';
import {
  ISSUE_CAPABILITY,
  type PassportRecord,
  type SubjectType,
  type TrustLevel,
} from './passport.js';
import { verifyPossessionProof } from './proofs.js';
import { parseSubjectKey, type SubjectKey } from './public-key.js';
import {
  auditData,
  checkCapabilities,
  expiryAfter,
  newPassportId,
  signedRecord,
  storePassport,
} from './records.js';
import { assignTrustLevel } from './trust-level.js';

export const SERVER_NAME_PATTERN =
  /^[a-zA-Z0-9](?:[a-zA-Z0-9.-]{0,126}[a-zA-Z0-9])?\/[a-zA-Z0-9](?:[a-zA-Z0-9._-]{0,126}[a-zA-Z0-9])?$/;
const DEFAULT_VERSION = '0.0.0';

export interface IssuePassportInput {
  subjectType: 'agent' | 'server';
  name: string;
  version?: string | undefined;
  capabilities?: string[] | undefined;
  origin?: string | null | undefined;
  publicKey: unknown;
  proof: string;
  ttlDays?: number | undefined;
  /** Admins name the publisher they issue for; publishers may omit it (their own). */
  publisherId?: string | undefined;
}

interface Subject {
  subjectType: SubjectType;
  name: string;
  origin: string | null;
  trustLevel: TrustLevel;
}

/** The subject's key (`body.public_key`) and its proof of possession (`body.proof`), checked now. */
async function provenSubjectKey(d: PassportDeps, input: { publicKey: unknown; proof: string }) {
  const key = parseSubjectKey(input.publicKey, 'body.public_key');
  const now = d.persistence.clock.now();
  const proof = await verifyPossessionProof(input.proof, key.key, {
    audience: d.issuer,
    now,
    field: 'body.proof',
  });
  return { key, now, proof };
}

/** Issues an agent or server passport. */
export async function issuePassport(
  d: PassportDeps,
  principal: Principal,
  input: IssuePassportInput,
): Promise<PassportRecord> {
  const publisherId = await publisherFor(d, principal, input.publisherId);
  const capabilities = checkCapabilities(input.capabilities, { allowIssue: false });
  const { key, now, proof } = await provenSubjectKey(d, input);
  checkSubjectInput(input);
  return refusalsAudited(d, principal, input, () =>
    d.persistence.transact(async (s) => {
      // Inside the signing transaction: the origin's proof is read (and held) with the signature.
      const subject = await resolveSubject(s, d, publisherId, input);
      // In one round trip, failures reported in this order: the key's lock and standing (first,
      // before any row), the nonce, the agent.
      const [, , agentId] = await pipelined([
        assertKeyUsable(s, key.kid, 'body.public_key'),
        consumeNonces(s, [proof.nonce], {
          publisherId,
          byAdmin: principal.role === 'admin',
          now,
          field: 'body.proof',
        }),
        subject.subjectType === 'agent'
          ? ensureAgent(s, d, principal, publisherId, subject.name, now)
          : Promise.resolve(null),
      ] as const);
      return insertIssued(s, d, principal, {
        key,
        now,
        publisherId,
        agentId,
        subject,
        version: input.version ?? DEFAULT_VERSION,
        capabilities,
        ttlDays: input.ttlDays,
        proof: input.proof,
      });
    }),
  );
}

/** Runs an issuance; a refusal marked worth auditing (unproven origin, bad nonce) is recorded. */
async function refusalsAudited<T>(
  d: PassportDeps,
  principal: Principal,
  input: IssuePassportInput,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (err) {
    const reason = refusalOf(err);
    if (reason) {
      await recordRefusal(d.persistence, {
        actor: actorOf(principal),
        action: 'passport.issued',
        subject: `${input.subjectType}:${input.name}`,
        data: { origin: input.origin ?? null },
        reason,
      });
    }
    throw err;
  }
}

export interface CreateIssuerInput {
  publisherId: string;
  /** Display name of the issuer (`agent.name`). */
  name: string;
  /** Everything passports under this issuer may carry; `mcps:issue` is added. */
  capabilities?: string[] | undefined;
  /** Origin pattern bounding the issuer's passports, e.g. `https://*.example.com`; null: none. */
  origin: string | null;
  /** Bound of the trust levels below it (2–4). */
  maxTrustLevel: TrustLevel;
  publicKey: unknown;
  proof: string;
  ttlDays?: number | undefined;
}

/**
 * Creates a delegated (intermediate) issuer for a publisher: a TA-signed passport holding
 * `mcps:issue`, whose key the publisher keeps and signs passports with (src/passports/delegated.ts).
 * Admin only — the admin's decision is the audit approval, so up to L4 may be granted.
 */
export async function createDelegatedIssuer(
  d: PassportDeps,
  principal: Principal,
  input: CreateIssuerInput,
): Promise<PassportRecord> {
  if (principal.role !== 'admin') throw new ForbiddenError('only admins create delegated issuers');
  const publisherId = await publisherFor(d, principal, input.publisherId);
  const capabilities = [
    ISSUE_CAPABILITY,
    ...checkCapabilities(input.capabilities, { allowIssue: false }),
  ];
  if (input.origin !== null && !parseOrigin(input.origin, true)) {
    throw InvalidRequestError.field(
      'body.origin',
      'must be an origin or pattern such as https://*.example.com',
    );
  }
  const { key, now, proof } = await provenSubjectKey(d, input);
  const assigned = assignTrustLevel({
    subjectType: 'issuer',
    originVerified: false,
    auditApproved: true,
  });
  const trustLevel = Math.min(assigned, input.maxTrustLevel) as TrustLevel;
  return d.persistence.transact(async (s) => {
    await pipelined([
      assertKeyUsable(s, key.kid, 'body.public_key'),
      consumeNonces(s, [proof.nonce], { publisherId, byAdmin: true, now, field: 'body.proof' }),
    ] as const);
    return insertIssued(s, d, principal, {
      key,
      now,
      publisherId,
      agentId: null,
      subject: { subjectType: 'issuer', name: input.name, origin: input.origin, trustLevel },
      version: DEFAULT_VERSION,
      capabilities,
      ttlDays: input.ttlDays,
      proof: input.proof,
    });
  });
}

async function insertIssued(
  s: TxStores,
  d: PassportDeps,
  principal: Principal,
  i: {
    key: SubjectKey;
    now: Date;
    publisherId: string;
    agentId: string | null;
    subject: Subject;
    version: string;
    capabilities: string[];
    ttlDays: number | undefined;
    proof: string;
  },
): Promise<PassportRecord> {
  const passportId = newPassportId();
  const record = signedRecord(d, {
    fields: {
      passportId,
      subjectType: i.subject.subjectType,
      name: i.subject.name,
      version: i.version,
      capabilities: i.capabilities,
      publicKey: i.key.jwk,
      origin: i.subject.origin,
      trustLevel: i.subject.trustLevel,
      issuedAt: i.now,
      expiresAt: expiryAfter(i.now, i.ttlDays),
    },
    publisherId: i.publisherId,
    subjectName: i.subject.name,
    agentId: i.agentId,
    kid: i.key.kid,
    lineageId: passportId,
    approvalSeq: null,
  });
  // The event needs no row of the others: it goes with them (fewer round trips).
  await pipelined([
    storePassport(s, d, record, {
      seq: 0,
      event: 'issued',
      previous: null,
      at: i.now,
      rotation: null,
      proof: i.proof,
    }),
    appendAuditEvent(s, d.persistence.clock, {
      actor: actorOf(principal),
      action: 'passport.issued',
      subject: `passport:${passportId}`,
      data: auditData(record),
    }),
  ] as const);
  return record;
}

/** The publisher a passport is issued for: the caller's own, or (admins) the one named. */
async function publisherFor(
  d: PassportDeps,
  principal: Principal,
  requested: string | undefined,
): Promise<string> {
  if (principal.role === 'admin') {
    if (!requested)
      throw InvalidRequestError.field(
        'body.publisher_id',
        'admins must name the publisher the passport is for',
      );
    if (!(await d.persistence.stores.publishers.findById(requested)))
      throw InvalidRequestError.field('body.publisher_id', 'no such publisher');
    return requested;
  }
  if (principal.role !== 'publisher' || !principal.publisherId)
    throw new ForbiddenError('requires a publisher or admin token');
  if (requested && requested !== principal.publisherId)
    throw new ForbiddenError('a publisher token issues passports for its own publisher only');
  return principal.publisherId;
}

/** The checks of the request that need no storage (400 naming the field). */
function checkSubjectInput(input: IssuePassportInput): void {
  if (input.subjectType === 'server') {
    if (!SERVER_NAME_PATTERN.test(input.name))
      throw InvalidRequestError.field(
        'body.name',
        'must be a server name such as com.example/weather',
      );
    return;
  }
  if (!PUBLISHER_NAME_PATTERN.test(input.name)) {
    throw InvalidRequestError.field(
      'body.name',
      'must be 1–128 printable characters without surrounding spaces',
    );
  }
  const origin = input.origin ?? null;
  if (origin !== null && !parseOrigin(origin, false))
    throw InvalidRequestError.field(
      'body.origin',
      'must be an origin such as https://agent.example.com',
    );
}

/**
 * Who the passport names and which origin it carries — only a proven one (DESIGN.md §9): a
 * server's registered origin while the TA holds its proof (409 naming the reason otherwise), an
 * agent's requested origin only within a namespace of the publisher (400 naming body.origin).
 */
async function resolveSubject(
  s: TxStores,
  d: PassportDeps,
  publisherId: string,
  input: IssuePassportInput,
): Promise<Subject> {
  if (input.subjectType === 'server') {
    const server = await d.servers.findServerForPublisher(s, publisherId, input.name);
    if (!server)
      throw InvalidRequestError.field(
        'body.name',
        `unknown server: ${input.name} is not a registered server of this publisher`,
      );
    if (input.origin !== undefined && input.origin !== server.origin) {
      throw InvalidRequestError.field(
        'body.origin',
        "must be omitted or equal the server's registered origin",
      );
    }
    if (server.originUnproven !== null)
      throw asRefusal(
        originNotProven(
          `no passport for ${server.name}`,
          server.origin,
          server.originUnproven,
          'body.name',
        ),
        'origin-unproven',
      );
    const trustLevel = assignTrustLevel({
      subjectType: 'server',
      originVerified: true,
      signedManifest: server.signedManifest,
      auditApproved: false,
    });
    return { subjectType: 'server', name: server.name, origin: server.origin, trustLevel };
  }
  const origin = input.origin ?? null;
  if (origin !== null) {
    const unproven = await d.servers.agentOriginUnproven(s, publisherId, origin);
    if (unproven !== null) {
      throw asRefusal(
        InvalidRequestError.field(
          'body.origin',
          `the TA holds no proof for ${origin}: ${unproven}; omit it (null) or verify the namespace first`,
        ),
        'origin-unproven',
      );
    }
  }
  const trustLevel = assignTrustLevel({
    subjectType: 'agent',
    originVerified: false,
    auditApproved: false,
  });
  return { subjectType: 'agent', name: input.name, origin, trustLevel };
}

async function ensureAgent(
  s: TxStores,
  d: PassportDeps,
  principal: Principal,
  publisherId: string,
  name: string,
  now: Date,
): Promise<string> {
  const { agent, created } = await s.agents.ensure({
    id: randomId('agt_'),
    publisherId,
    name,
    createdAt: now,
  });
  if (created) {
    await appendAuditEvent(s, d.persistence.clock, {
      actor: actorOf(principal),
      action: 'agent.created',
      subject: `agent:${agent.id}`,
      data: { publisher_id: publisherId, name },
    });
  }
  return agent.id;
}
