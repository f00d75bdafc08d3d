// Passports (DESIGN.md §4, §4.1): challenge, issue, delegated issuers, read, rotate, revoke,
// approve (L4), key-continuity chain, and verification of a presented passport.
import { OpenAPIHono } from '@hono/zod-openapi';
import { approvePassport } from '../../passports/approve.js';
import { createChallenge } from '../../passports/challenge.js';
import { createDelegatedIssuer, issuePassport } from '../../passports/issue.js';
import { effectiveState, type PassportRecord, type TrustLevel } from '../../passports/passport.js';
import { getChain, getPassport, verifyPresentedPassport } from '../../passports/read.js';
import { revokePassport } from '../../passports/revoke.js';
import { rotatePassport } from '../../passports/rotate.js';
import { ACCESS, defineRoute } from '../access.js';
import { logMember } from '../log-receipt.js';
import type { AppEnv } from '../context.js';
import type { AppDeps } from '../deps.js';
import { passportDepsOf } from '../passport-deps.js';
import { ERRORS, jsonBody, jsonResponse, RESOURCE_ERRORS } from '../schemas.js';
import { validationHook } from '../validation.js';
import {
  ApproveRequest,
  ChainSchema,
  ChallengeSchema,
  IssueRequest,
  IssuerRequest,
  PassportIdParam,
  PassportView,
  RevokeRequest,
  RotateRequest,
  VerifyRequest,
  VerifyResult,
} from './passport-schemas.js';

const tags = ['passports'];
const params = { params: PassportIdParam };

const challenge = defineRoute(ACCESS.publisher, {
  method: 'post',
  path: '/v1/passports/challenge',
  signs: [],
  tags,
  summary: 'A single-use nonce (valid 5 minutes) for a proof of possession',
  responses: { 201: jsonResponse(ChallengeSchema, 'Nonce'), 401: ERRORS[401], 403: ERRORS[403] },
});
const issue = defineRoute(ACCESS.publisher, {
  method: 'post',
  path: '/v1/passports',
  signs: ['passport'],
  tags,
  summary:
    'Issue an agent or server passport (proof of possession required; trust level 2, 3 for a server with a proven origin)',
  request: jsonBody(IssueRequest),
  responses: {
    201: jsonResponse(PassportView, 'Issued'),
    400: ERRORS[400],
    401: ERRORS[401],
    403: ERRORS[403],
  },
});
const createIssuer = defineRoute(ACCESS.admin, {
  method: 'post',
  path: '/v1/passports/issuers',
  signs: ['passport'],
  tags,
  summary:
    'Give a publisher a delegated issuer: a passport with mcps:issue, bounding trust level, capabilities and origin',
  description:
    'Admin only. The publisher holds the key: it asks for a challenge with its own token and signs the proof; the admin submits it. The result is a TA-signed passport (`subject_type` `issuer`) with `mcps:issue`; the publisher signs passports under it offline (`issuer` = this passport_id, `issuer_kid` = its key thumbprint, `issuer_chain` = [base64 JSON of this passport, …]). Verifiers (POST /v1/passports/verify, or src/passports verifyPassport) enforce depth ≤ 5 and that every passport is no wider than its issuer. Revoking the issuer invalidates everything under it.',
  request: jsonBody(IssuerRequest),
  responses: {
    201: jsonResponse(PassportView, 'Issued'),
    400: ERRORS[400],
    401: ERRORS[401],
    403: ERRORS[403],
  },
});
const verify = defineRoute(ACCESS.public, {
  method: 'post',
  path: '/v1/passports/verify',
  signs: [],
  tags,
  summary:
    'Verify a presented passport and its issuer chain strictly (signatures, low-S, times, bounds, revocation)',
  request: jsonBody(VerifyRequest),
  responses: {
    200: jsonResponse(VerifyResult, 'Result (valid or the first problem)'),
    400: ERRORS[400],
  },
});
const get = defineRoute(ACCESS.public, {
  method: 'get',
  path: '/v1/passports/{id}',
  tags,
  summary: 'A passport and its status',
  request: params,
  responses: {
    200: jsonResponse(PassportView, 'The passport'),
    400: ERRORS[400],
    404: ERRORS[404],
  },
});
const rotate = defineRoute(ACCESS.publisher, {
  method: 'post',
  path: '/v1/passports/{id}/rotate',
  signs: ['passport'],
  tags,
  summary:
    'Rotate to a new key: statement by the old key, proof by the new key; the old passport becomes superseded',
  request: { ...params, ...jsonBody(RotateRequest) },
  responses: {
    201: jsonResponse(PassportView, 'The new passport'),
    400: ERRORS[400],
    401: ERRORS[401],
    403: {
      ...ERRORS[403],
      description: 'Not the owner, or the rotation statement is not signed by the old key',
    },
    404: ERRORS[404],
    409: {
      ...ERRORS[409],
      description: 'Revoked, expired, already rotated, or a concurrent rotation won',
    },
  },
});
const revoke = defineRoute(ACCESS.publisher, {
  method: 'post',
  path: '/v1/passports/{id}/revoke',
  signs: [],
  tags,
  summary: 'Revoke a passport (owner or admin); RFC 5280 reason names',
  request: { ...params, ...jsonBody(RevokeRequest) },
  responses: {
    200: jsonResponse(PassportView, 'Revoked'),
    ...RESOURCE_ERRORS,
  },
});
const approve = defineRoute(ACCESS.admin, {
  method: 'post',
  path: '/v1/passports/{id}/approve',
  signs: ['passport'],
  tags,
  summary:
    'Audit approval: re-issues the passport (same key and expiry) at trust level 4, recorded in the audit log',
  description:
    'Admin only. In one transaction: the passport (active, unexpired, below L4) becomes `superseded`, a `passport.approved` audit event records the approval (with the optional note), and a new passport for the same key, subject and expiry is signed with `trust_level` 4 and returned; its key-continuity chain gains a `reissued` link. A server passport can be approved only once its origin is proven (L3). The approval stays with the identity: rotations keep L4.',
  request: { ...params, ...jsonBody(ApproveRequest) },
  responses: {
    201: jsonResponse(PassportView, 'The approved passport (the old one is superseded)'),
    ...RESOURCE_ERRORS,
    409: ERRORS[409],
  },
});
const chain = defineRoute(ACCESS.public, {
  method: 'get',
  path: '/v1/passports/{id}/chain',
  tags,
  summary: 'Key-continuity chain of the identity, oldest → newest, each link verifiable offline',
  request: params,
  responses: { 200: jsonResponse(ChainSchema, 'The chain'), 400: ERRORS[400], 404: ERRORS[404] },
});

export function passportJson(r: PassportRecord, now: Date) {
  return {
    passport: r.document,
    status: effectiveState(r, now),
    passport_id: r.passportId,
    identity: r.lineageId,
    subject_type: r.subjectType,
    subject_name: r.subjectName,
    trust_level: r.trustLevel,
    kid: r.kid,
    issued_at: r.issuedAt.toISOString(),
    expires_at: r.expiresAt.toISOString(),
    revoked_at: r.revokedAt?.toISOString() ?? null,
    revocation_reason: r.revocationReason,
    superseded_by: r.supersededBy,
  };
}

export function passportRoutes(deps: AppDeps) {
  const d = passportDepsOf(deps);
  const now = () => deps.persistence.clock.now();
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(challenge, async (c) => {
    const ch = await createChallenge(d.persistence, c.get('principal'));
    c.header('cache-control', 'no-store');
    return c.json({ nonce: ch.nonce, expires_at: ch.expiresAt.toISOString(), aud: d.issuer }, 201);
  });

  app.openapi(issue, async (c) => {
    const b = c.req.valid('json');
    const record = await issuePassport(d, c.get('principal'), {
      subjectType: b.subject_type,
      name: b.name,
      version: b.version,
      capabilities: b.capabilities,
      origin: b.origin,
      publicKey: b.public_key,
      proof: b.proof,
      ttlDays: b.ttl_days,
      publisherId: b.publisher_id,
    });
    return c.json(
      {
        ...passportJson(record, now()),
        ...(await logMember(deps, 'passport.issued', `passport:${record.passportId}`)),
      },
      201,
    );
  });

  app.openapi(createIssuer, async (c) => {
    const b = c.req.valid('json');
    const record = await createDelegatedIssuer(d, c.get('principal'), {
      publisherId: b.publisher_id,
      name: b.name,
      capabilities: b.capabilities,
      origin: b.origin,
      maxTrustLevel: b.max_trust_level as TrustLevel,
      publicKey: b.public_key,
      proof: b.proof,
      ttlDays: b.ttl_days,
    });
    return c.json(
      {
        ...passportJson(record, now()),
        ...(await logMember(deps, 'passport.issued', `passport:${record.passportId}`)),
      },
      201,
    );
  });

  app.openapi(verify, async (c) => {
    const presented = c.req.valid('json').passport;
    const r = await verifyPresentedPassport(d, presented);
    if (r.ok) {
      const chainIds = r.chain.map((p) => p.passport_id);
      return c.json(
        {
          valid: true,
          passport_id: r.passport.passport_id,
          trust_level: r.passport.trust_level,
          chain: chainIds,
          problem: null,
          message: null,
          depth: null,
        },
        200,
      );
    }
    const passportId = typeof presented.passport_id === 'string' ? presented.passport_id : null;
    return c.json(
      {
        valid: false,
        passport_id: passportId,
        trust_level: null,
        chain: [],
        problem: r.problem,
        message: r.message,
        depth: r.depth,
      },
      200,
    );
  });

  app.openapi(get, async (c) =>
    c.json(passportJson(await getPassport(d, c.req.valid('param').id), now()), 200),
  );

  app.openapi(rotate, async (c) => {
    const b = c.req.valid('json');
    const record = await rotatePassport(d, c.get('principal'), c.req.valid('param').id, {
      publicKey: b.public_key,
      proof: b.proof,
      rotation: b.rotation,
      ttlDays: b.ttl_days,
    });
    return c.json(
      {
        ...passportJson(record, now()),
        ...(await logMember(deps, 'passport.rotated', `passport:${record.passportId}`)),
      },
      201,
    );
  });

  app.openapi(revoke, async (c) => {
    const record = await revokePassport(
      d,
      c.get('principal'),
      c.req.valid('param').id,
      c.req.valid('json').reason,
    );
    return c.json(
      {
        ...passportJson(record, now()),
        ...(await logMember(deps, 'passport.revoked', `passport:${record.passportId}`)),
      },
      200,
    );
  });

  app.openapi(approve, async (c) => {
    const record = await approvePassport(d, c.get('principal'), c.req.valid('param').id, {
      note: c.req.valid('json').note,
    });
    return c.json(passportJson(record, now()), 201);
  });

  app.openapi(chain, async (c) => {
    const ch = await getChain(d, c.req.valid('param').id);
    return c.json(
      {
        identity: ch.identity,
        current_passport_id: ch.current.passportId,
        current_kid: ch.current.kid,
        links: ch.links,
      },
      200,
    );
  });

  return app;
}
