// The authorization matrix: for every route, the status each kind of caller gets. The matrix
// test (test/integration/authorization-matrix.test.ts) reads the routes from the generated
// OpenAPI document, so a route added without a rule here makes it fail.
import type { TestService } from './service.js';

export const CALLERS = ['anonymous', 'publisherA', 'publisherB', 'auditor', 'admin'] as const;
export type Caller = (typeof CALLERS)[number];

export interface Principal {
  publisherId: string;
  token: string;
  tokenId: string;
}

/** Resources the rules act on: publisher A owns things, B is the stranger, the auditor is A's. */
export interface Fixture {
  ta: TestService;
  A: Principal;
  B: Principal;
  auditor: Principal;
  /** Creates a fresh token of A (for rules whose success consumes it). */
  freshTokenOfA(): Promise<Principal>;
  /** Creates a pending passport-signing key (for activate). */
  pendingKid(): Promise<string>;
}

export interface MatrixRequest {
  path: string;
  body?: unknown;
}

export interface Rule {
  expect: Record<Caller, number>;
  request(f: Fixture, who: Caller): Promise<MatrixRequest> | MatrixRequest;
}

const PUBLIC_200: Record<Caller, number> = { anonymous: 200, publisherA: 200, publisherB: 200, auditor: 200, admin: 200 };
const ADMIN_ONLY = (ok: number): Record<Caller, number> => ({ anonymous: 401, publisherA: 403, publisherB: 403, auditor: 403, admin: ok });
const AUDIT = (ok: number): Record<Caller, number> => ({ anonymous: 401, publisherA: 403, publisherB: 403, auditor: ok, admin: ok });
const SOME_KID = 'A'.repeat(43);

const fixed = (path: string, body?: unknown) => () => ({ path, body });

export const RULES: Record<string, Rule> = {
  'GET /healthz': { expect: PUBLIC_200, request: fixed('/healthz') },
  'GET /readyz': { expect: PUBLIC_200, request: fixed('/readyz') },
  'GET /metrics': { expect: PUBLIC_200, request: fixed('/metrics') },
  'GET /openapi.json': { expect: PUBLIC_200, request: fixed('/openapi.json') },
  'GET /docs': { expect: PUBLIC_200, request: fixed('/docs') },
  'GET /.well-known/mcps-trust-authority': { expect: PUBLIC_200, request: fixed('/.well-known/mcps-trust-authority') },
  'GET /v1/trust/jwks': { expect: PUBLIC_200, request: fixed('/v1/trust/jwks') },
  'GET /v1/trust/ca.pem': { expect: PUBLIC_200, request: fixed('/v1/trust/ca.pem') },
  'GET /api/ta/public-key': { expect: PUBLIC_200, request: fixed('/api/ta/public-key') },
  'GET /v1/trust/anchors': { expect: PUBLIC_200, request: fixed('/v1/trust/anchors') },
  'GET /v1/trust/anchors/{version}': { expect: PUBLIC_200, request: fixed('/v1/trust/anchors/1') },

  'GET /v1/authority/keys': { expect: ADMIN_ONLY(200), request: fixed('/v1/authority/keys') },
  'POST /v1/authority/keys': { expect: ADMIN_ONLY(201), request: fixed('/v1/authority/keys', { purpose: 'passport-signing' }) },
  'POST /v1/authority/keys/{kid}/activate': {
    expect: ADMIN_ONLY(200),
    request: async (f, who) => ({ path: `/v1/authority/keys/${who === 'admin' ? await f.pendingKid() : SOME_KID}/activate` }),
  },
  // Success needs a retiring key; admin gets a well-formed 404 for an unknown kid.
  'POST /v1/authority/keys/{kid}/retire': { expect: ADMIN_ONLY(404), request: fixed(`/v1/authority/keys/${SOME_KID}/retire`) },
  'POST /v1/authority/keys/{kid}/revoke': {
    expect: ADMIN_ONLY(200),
    request: async (f, who) => ({ path: `/v1/authority/keys/${who === 'admin' ? await f.pendingKid() : SOME_KID}/revoke`, body: { reason: 'keyCompromise' } }),
  },

  'POST /v1/publishers': {
    expect: ADMIN_ONLY(201),
    request: (_f, who) => ({ path: '/v1/publishers', body: { name: `matrix-${who}-${Math.random().toString(36).slice(2)}` } }),
  },
  'GET /v1/publishers': { expect: ADMIN_ONLY(200), request: fixed('/v1/publishers') },
  'GET /v1/publishers/{id}': {
    expect: { anonymous: 401, publisherA: 200, publisherB: 403, auditor: 200, admin: 200 },
    request: (f) => ({ path: `/v1/publishers/${f.A.publisherId}` }),
  },
  'POST /v1/publishers/{id}/tokens': {
    expect: ADMIN_ONLY(201),
    request: (f) => ({ path: `/v1/publishers/${f.A.publisherId}/tokens`, body: { role: 'publisher' } }),
  },
  'GET /v1/publishers/{id}/tokens': {
    expect: { anonymous: 401, publisherA: 200, publisherB: 403, auditor: 200, admin: 200 },
    request: (f) => ({ path: `/v1/publishers/${f.A.publisherId}/tokens` }),
  },
  'POST /v1/publishers/{id}/tokens/{token_id}/revoke': {
    expect: { anonymous: 401, publisherA: 200, publisherB: 403, auditor: 403, admin: 200 },
    request: async (f) => {
      const t = await f.freshTokenOfA();
      return { path: `/v1/publishers/${f.A.publisherId}/tokens/${t.tokenId}/revoke` };
    },
  },
  'GET /v1/token': {
    expect: { anonymous: 401, publisherA: 200, publisherB: 200, auditor: 200, admin: 200 },
    request: fixed('/v1/token'),
  },
  'GET /v1/audit': { expect: AUDIT(200), request: fixed('/v1/audit') },
  'GET /v1/audit/verify': { expect: AUDIT(200), request: fixed('/v1/audit/verify') },
  'GET /v1/audit/checkpoint': { expect: AUDIT(200), request: fixed('/v1/audit/checkpoint') },
};

/** Operations of an OpenAPI document ("METHOD /path") that have no rule, and rules with no route. */
export function compareWithRoutes(
  document: { paths: Record<string, Record<string, unknown>> },
  rules: Record<string, Rule>,
): { missing: string[]; stale: string[] } {
  const operations = Object.entries(document.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
  return {
    missing: operations.filter((o) => !(o in rules)),
    stale: Object.keys(rules).filter((r) => !operations.includes(r)),
  };
}
