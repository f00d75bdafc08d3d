// The authorization matrix: for every route, the status each kind of caller gets. The matrix
// test (test/integration/authorization-matrix.test.ts) reads the routes from the generated
// OpenAPI document, so a route added without a rule here makes it fail.
import { SERVER_JSON_SCHEMA } from '../../src/manifests/server-json-schema.js';
import { makeCsr } from './csr.js';
import {
  challenge,
  issueAgentPassport,
  newSubjectKey,
  popProof,
  rotationStatement,
  signJws,
  type SubjectKeyPair,
} from './passports.js';
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

/** A fresh agent passport of publisher A, with its key. */
async function passportOfA(
  f: Fixture,
): Promise<{ id: string; key: SubjectKeyPair; agentId: string }> {
  const { res, key } = await issueAgentPassport(f.ta, f.A.token, {
    name: `matrix-agent-${Math.random().toString(36).slice(2, 8)}`,
  });
  if (res.status !== 201) throw new Error(`fixture passport: ${res.status} ${res.text}`);
  return {
    id: res.json.passport.passport_id,
    key,
    agentId: res.json.agent_id ?? res.json.passport.agent?.name,
  };
}

/** The token a caller uses, for rules that must build a body with the caller's own nonce. */
function tokenOf(f: Fixture, who: Caller): string {
  return {
    anonymous: f.A.token,
    publisherA: f.A.token,
    publisherB: f.B.token,
    auditor: f.A.token,
    admin: f.ta.adminToken,
  }[who];
}

// Registry resources of publisher A, made once per fixture.
const NS = 'com.matrixa';
const SERVER = `${NS}/tool`;
const registryMade = new WeakMap<Fixture, Promise<{ digest: string }>>();
let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter += 1)}`;

async function registryOfA(f: Fixture): Promise<{ digest: string }> {
  if (!registryMade.has(f)) {
    registryMade.set(
      f,
      (async () => {
        const admin = f.ta.adminToken;
        const claim = await f.ta.request('POST', '/v1/namespaces', {
          token: f.A.token,
          body: { namespace: NS, url: 'https://matrixa.com' },
        });
        if (claim.status !== 201) throw new Error(`fixture claim: ${claim.status} ${claim.text}`);
        await f.ta.request('POST', `/v1/namespaces/${NS}/approve`, { token: admin });
        const srv = await f.ta.request('POST', '/v1/servers', {
          token: f.A.token,
          body: { name: SERVER, origin: 'https://tool.matrixa.com', description: 'matrix' },
        });
        if (srv.status !== 201) throw new Error(`fixture server: ${srv.status} ${srv.text}`);
        await f.ta.request('POST', `/v1/servers/${SERVER}/manifests`, {
          token: f.A.token,
          body: { version: '1.0.0', tools: [TOOL] },
        });
        const m = await f.ta.request('POST', `/v1/servers/${SERVER}/manifests`, {
          token: f.A.token,
          body: { version: '1.1.0', tools: [{ ...TOOL, description: 'changed' }] },
        });
        if (m.status !== 201) throw new Error(`fixture manifest: ${m.status} ${m.text}`);
        return { digest: m.json.digest as string };
      })(),
    );
  }
  return registryMade.get(f)!;
}

const TOOL = {
  name: 'echo',
  description: 'Echo the input',
  inputSchema: { type: 'object', properties: { text: { type: 'string' } } },
};

/** A pending namespace claim of publisher A. */
async function pendingNamespaceOfA(f: Fixture): Promise<string> {
  const ns = `com.pending${unique()}`;
  const r = await f.ta.request('POST', '/v1/namespaces', {
    token: f.A.token,
    body: { namespace: ns, url: `https://${ns.split('.').reverse().join('.')}` },
  });
  if (r.status !== 201) throw new Error(`fixture pending namespace: ${r.status} ${r.text}`);
  return ns;
}

/** A verified namespace of publisher A (admin-approved), for rules whose success withdraws it. */
async function verifiedNamespaceOfA(f: Fixture): Promise<string> {
  const ns = await pendingNamespaceOfA(f);
  const r = await f.ta.request('POST', `/v1/namespaces/${ns}/approve`, { token: f.ta.adminToken });
  if (r.status !== 200) throw new Error(`fixture verified namespace: ${r.status} ${r.text}`);
  return ns;
}

/** A freshly published version of A's server. */
async function versionOfA(f: Fixture): Promise<string> {
  await registryOfA(f);
  const version = `2.0.${(counter += 1)}`;
  const r = await f.ta.request('POST', `/v1/servers/${SERVER}/manifests`, {
    token: f.A.token,
    body: { version, tools: [TOOL] },
  });
  if (r.status !== 201) throw new Error(`fixture version: ${r.status} ${r.text}`);
  return version;
}

/** A server certificate of publisher A (for its registry server), issued over HTTP. */
async function certificateOfA(f: Fixture): Promise<string> {
  await registryOfA(f);
  const csr = makeCsr('P-256', { san: 'DNS:tool.matrixa.com' });
  const r = await f.ta.request('POST', '/v1/certificates', {
    token: f.A.token,
    body: { csr: csr.csrPem, profile: 'server', subject: SERVER },
  });
  if (r.status !== 201) throw new Error(`fixture certificate: ${r.status} ${r.text}`);
  return r.json.serial as string;
}

const WEBHOOK_SECRET = 'matrix-webhook-secret-0123456789abcdef';
const webhookMade = new WeakMap<Fixture, Promise<string>>();

/** A webhook of publisher A: shared, or a fresh one for rules whose success deletes it. */
async function webhookOfA(f: Fixture, fresh = false): Promise<string> {
  const make = async () => {
    const r = await f.ta.request('POST', '/v1/webhooks', {
      token: f.A.token,
      body: { url: 'https://hooks.matrixa.com/revocations', secret: WEBHOOK_SECRET },
    });
    if (r.status !== 201) throw new Error(`fixture webhook: ${r.status} ${r.text}`);
    return r.json.id as string;
  };
  if (fresh) return make();
  if (!webhookMade.has(f)) webhookMade.set(f, make());
  return webhookMade.get(f)!;
}

const ANY_PUBLISHER = (ok: number): Record<Caller, number> => ({
  anonymous: 401,
  publisherA: ok,
  publisherB: ok,
  auditor: 403,
  admin: ok,
});
const OWNER = (ok: number): Record<Caller, number> => ({
  anonymous: 401,
  publisherA: ok,
  publisherB: 403,
  auditor: 403,
  admin: ok,
});

export interface MatrixRequest {
  path: string;
  body?: unknown;
}

export interface Rule {
  expect: Record<Caller, number>;
  request(f: Fixture, who: Caller): Promise<MatrixRequest> | MatrixRequest;
}

const PUBLIC = (status: number): Record<Caller, number> => ({
  anonymous: status,
  publisherA: status,
  publisherB: status,
  auditor: status,
  admin: status,
});
const PUBLIC_200 = PUBLIC(200);
const PUBLIC_201 = PUBLIC(201);
const ADMIN_ONLY = (ok: number): Record<Caller, number> => ({
  anonymous: 401,
  publisherA: 403,
  publisherB: 403,
  auditor: 403,
  admin: ok,
});
const AUDIT = (ok: number): Record<Caller, number> => ({
  anonymous: 401,
  publisherA: 403,
  publisherB: 403,
  auditor: ok,
  admin: ok,
});
const SOME_KID = 'A'.repeat(43);

const fixed = (path: string, body?: unknown) => () => ({ path, body });

export const RULES: Record<string, Rule> = {
  'GET /healthz': { expect: PUBLIC_200, request: fixed('/healthz') },
  'GET /readyz': { expect: PUBLIC_200, request: fixed('/readyz') },
  'GET /metrics': { expect: PUBLIC_200, request: fixed('/metrics') },
  'GET /openapi.json': { expect: PUBLIC_200, request: fixed('/openapi.json') },
  'GET /docs': { expect: PUBLIC_200, request: fixed('/docs') },
  'GET /docs/docs.css': { expect: PUBLIC_200, request: fixed('/docs/docs.css') },
  'GET /.well-known/mcps-trust-authority': {
    expect: PUBLIC_200,
    request: fixed('/.well-known/mcps-trust-authority'),
  },
  'GET /v1/trust/jwks': { expect: PUBLIC_200, request: fixed('/v1/trust/jwks') },
  'GET /v1/trust/ca.pem': { expect: PUBLIC_200, request: fixed('/v1/trust/ca.pem') },
  'GET /v1/trust/ca/{certificate}': {
    expect: PUBLIC_200,
    request: (f) => ({ path: `/v1/trust/ca/${f.ta.keyring.root.kid}.cer` }),
  },
  'GET /api/ta/public-key': { expect: PUBLIC_200, request: fixed('/api/ta/public-key') },
  'GET /v1/trust/anchors': { expect: PUBLIC_200, request: fixed('/v1/trust/anchors') },
  'GET /v1/trust/anchors/{version}': { expect: PUBLIC_200, request: fixed('/v1/trust/anchors/1') },

  'GET /v1/authority/keys': { expect: ADMIN_ONLY(200), request: fixed('/v1/authority/keys') },
  'POST /v1/authority/keys': {
    expect: ADMIN_ONLY(201),
    request: fixed('/v1/authority/keys', { purpose: 'passport-signing' }),
  },
  'POST /v1/authority/keys/{kid}/activate': {
    expect: ADMIN_ONLY(200),
    request: async (f, who) => ({
      path: `/v1/authority/keys/${who === 'admin' ? await f.pendingKid() : SOME_KID}/activate`,
    }),
  },
  // Success needs a retiring key; admin gets a well-formed 404 for an unknown kid.
  'POST /v1/authority/keys/{kid}/retire': {
    expect: ADMIN_ONLY(404),
    request: fixed(`/v1/authority/keys/${SOME_KID}/retire`),
  },
  'POST /v1/authority/keys/{kid}/revoke': {
    expect: ADMIN_ONLY(200),
    request: async (f, who) => ({
      path: `/v1/authority/keys/${who === 'admin' ? await f.pendingKid() : SOME_KID}/revoke`,
      body: { reason: 'keyCompromise' },
    }),
  },

  'GET /v1/revocations': { expect: PUBLIC_200, request: fixed('/v1/revocations') },
  // Admins own the webhooks they register (for the TA itself); auditors may only read.
  'POST /v1/webhooks': {
    expect: ANY_PUBLISHER(201),
    request: fixed('/v1/webhooks', {
      url: 'https://hooks.example.com/revocations',
      secret: WEBHOOK_SECRET,
    }),
  },
  'GET /v1/webhooks': {
    expect: { anonymous: 401, publisherA: 200, publisherB: 200, auditor: 200, admin: 200 },
    request: fixed('/v1/webhooks'),
  },
  // Another publisher's webhook is reported as absent, not forbidden: ids do not leak.
  'GET /v1/webhooks/{id}': {
    expect: { anonymous: 401, publisherA: 200, publisherB: 404, auditor: 200, admin: 200 },
    request: async (f) => ({ path: `/v1/webhooks/${await webhookOfA(f)}` }),
  },
  'GET /v1/webhooks/{id}/deliveries': {
    expect: { anonymous: 401, publisherA: 200, publisherB: 404, auditor: 200, admin: 200 },
    request: async (f) => ({ path: `/v1/webhooks/${await webhookOfA(f)}/deliveries` }),
  },
  // Authorised callers reach the lookup (a well-formed 404: no such delivery); the retry of a
  // real dead letter is in webhooks.test.ts.
  'POST /v1/webhooks/{id}/deliveries/{seq}/retry': {
    expect: { anonymous: 401, publisherA: 404, publisherB: 404, auditor: 403, admin: 404 },
    request: async (f) => ({ path: `/v1/webhooks/${await webhookOfA(f)}/deliveries/999999/retry` }),
  },
  'DELETE /v1/webhooks/{id}': {
    expect: { anonymous: 401, publisherA: 200, publisherB: 404, auditor: 403, admin: 200 },
    request: async (f) => ({ path: `/v1/webhooks/${await webhookOfA(f, true)}` }),
  },

  'POST /v1/publishers': {
    expect: ADMIN_ONLY(201),
    request: (_f, who) => ({
      path: '/v1/publishers',
      body: { name: `matrix-${who}-${Math.random().toString(36).slice(2)}` },
    }),
  },
  'GET /v1/publishers': { expect: ADMIN_ONLY(200), request: fixed('/v1/publishers') },
  'POST /v1/auditor-tokens': {
    expect: ADMIN_ONLY(201),
    request: fixed('/v1/auditor-tokens', { label: 'matrix' }),
  },
  'GET /v1/auditor-tokens': { expect: ADMIN_ONLY(200), request: fixed('/v1/auditor-tokens') },
  // Success needs a TA-wide auditor token; admin gets a well-formed 404 for an unknown id.
  'POST /v1/auditor-tokens/{token_id}/revoke': {
    expect: ADMIN_ONLY(404),
    request: fixed('/v1/auditor-tokens/tok_0000000000000000/revoke'),
  },
  'GET /v1/publishers/{id}': {
    expect: { anonymous: 401, publisherA: 200, publisherB: 403, auditor: 200, admin: 200 },
    request: (f) => ({ path: `/v1/publishers/${f.A.publisherId}` }),
  },
  'POST /v1/publishers/{id}/tokens': {
    expect: ADMIN_ONLY(201),
    request: (f) => ({
      path: `/v1/publishers/${f.A.publisherId}/tokens`,
      body: { role: 'publisher' },
    }),
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
  // The transparency log is public (leaves of non-public events are shown only to their readers).
  'GET /v1/log/checkpoint': { expect: PUBLIC_200, request: fixed('/v1/log/checkpoint') },
  'GET /v1/log/entries': { expect: PUBLIC_200, request: fixed('/v1/log/entries?start=1&end=2') },
  'GET /v1/log/proof/inclusion': {
    expect: PUBLIC_200,
    request: fixed('/v1/log/proof/inclusion?seq=1&tree_size=2'),
  },
  'GET /v1/log/proof/consistency': {
    expect: PUBLIC_200,
    request: fixed('/v1/log/proof/consistency?first=1&second=2'),
  },
  'GET /v1/log/events/{event_id}': { expect: PUBLIC_200, request: fixed('/v1/log/events/1') },
  // tlog-tiles: tiles and the signed note are public; an entry bundle holds the events
  // themselves, so it needs a role that may read events (then, per event, that it may read them
  // all). The fixture's log is shorter than one full tile: a well-formed 404 past the guard.
  'GET /v1/log/tiles/checkpoint': {
    expect: PUBLIC_200,
    request: fixed('/v1/log/tiles/checkpoint'),
  },
  'GET /v1/log/tiles/tile/{level}/{index}': {
    expect: PUBLIC(404),
    request: fixed('/v1/log/tiles/tile/0/000'),
  },
  'GET /v1/log/tiles/tile/entries/{index}': {
    expect: AUDIT(404),
    request: fixed('/v1/log/tiles/tile/entries/000'),
  },

  'POST /v1/passports/challenge': {
    expect: ANY_PUBLISHER(201),
    request: fixed('/v1/passports/challenge'),
  },
  // An admin token belongs to no publisher, so it cannot own a passport subject (400 naming it).
  'POST /v1/passports': {
    expect: { anonymous: 401, publisherA: 201, publisherB: 201, auditor: 403, admin: 400 },
    request: async (f, who) => {
      const key = newSubjectKey();
      const token = tokenOf(f, who === 'admin' ? 'publisherA' : who);
      const proof = await popProof(key, await challenge(f.ta, token), { aud: f.ta.config.taName });
      return {
        path: '/v1/passports',
        body: { subject_type: 'agent', name: `matrix-${who}`, public_key: key.jwk, proof },
      };
    },
  },
  'POST /v1/passports/issuers': {
    expect: ADMIN_ONLY(400),
    request: fixed('/v1/passports/issuers', {}),
  },
  'POST /v1/passports/verify': {
    expect: PUBLIC_200,
    request: async (f) => ({
      path: '/v1/passports/verify',
      body: {
        passport: (await f.ta.request('GET', `/v1/passports/${(await passportOfA(f)).id}`)).json
          .passport,
      },
    }),
  },
  'GET /v1/passports/{id}': {
    expect: PUBLIC_200,
    request: async (f) => ({ path: `/v1/passports/${(await passportOfA(f)).id}` }),
  },
  'GET /v1/passports/{id}/chain': {
    expect: PUBLIC_200,
    request: async (f) => ({ path: `/v1/passports/${(await passportOfA(f)).id}/chain` }),
  },
  'POST /v1/passports/{id}/rotate': {
    expect: OWNER(201),
    request: async (f, who) => {
      const old = await passportOfA(f);
      const key = newSubjectKey();
      const nonce = await challenge(f.ta, tokenOf(f, who === 'admin' ? 'publisherA' : who));
      const rotation = await rotationStatement(old.key, {
        passportId: old.id,
        newKid: key.kid,
        nonce,
      });
      const proof = await popProof(key, nonce, { aud: f.ta.config.taName });
      return {
        path: `/v1/passports/${old.id}/rotate`,
        body: { public_key: key.jwk, proof, rotation },
      };
    },
  },
  'POST /v1/passports/{id}/revoke': {
    expect: OWNER(200),
    request: async (f) => ({
      path: `/v1/passports/${(await passportOfA(f)).id}/revoke`,
      body: { reason: 'keyCompromise' },
    }),
  },
  'POST /v1/passports/{id}/approve': {
    expect: ADMIN_ONLY(201),
    request: async (f) => ({ path: `/v1/passports/${(await passportOfA(f)).id}/approve` }),
  },
  'GET /api/verify/{passport_id}': {
    expect: PUBLIC_200,
    request: async (f) => ({ path: `/api/verify/${(await passportOfA(f)).id}` }),
  },
  'GET /api/passport/{passport_id}': {
    expect: PUBLIC_200,
    request: async (f) => ({ path: `/api/passport/${(await passportOfA(f)).id}` }),
  },
  'GET /api/crl': { expect: PUBLIC_200, request: fixed('/api/crl') },
  'POST /v1/namespaces': {
    expect: { anonymous: 401, publisherA: 201, publisherB: 201, auditor: 403, admin: 400 },
    request: (_f, who) => {
      const ns = `org.claim${who.toLowerCase()}${unique()}`;
      return {
        path: '/v1/namespaces',
        body: { namespace: ns, url: `https://${ns.split('.').reverse().join('.')}` },
      };
    },
  },
  'GET /v1/namespaces': {
    expect: { anonymous: 401, publisherA: 200, publisherB: 200, auditor: 200, admin: 200 },
    request: fixed('/v1/namespaces'),
  },
  // Namespace names are public (they prefix public server names), so a stranger learns nothing from 403.
  'GET /v1/namespaces/{namespace}': {
    expect: { anonymous: 401, publisherA: 200, publisherB: 403, auditor: 200, admin: 200 },
    request: async (f) => (await registryOfA(f), { path: `/v1/namespaces/${NS}` }),
  },
  // The challenge URL is on the public internet, which tests cannot reach: the owner's attempt
  // is refused as a failed challenge (400 naming it), which is past every authorization check.
  'POST /v1/namespaces/{namespace}/verify': {
    expect: { anonymous: 401, publisherA: 400, publisherB: 403, auditor: 403, admin: 400 },
    request: async (f) => ({ path: `/v1/namespaces/${await pendingNamespaceOfA(f)}/verify` }),
  },
  'POST /v1/namespaces/{namespace}/approve': {
    expect: ADMIN_ONLY(200),
    request: async (f) => ({ path: `/v1/namespaces/${await pendingNamespaceOfA(f)}/approve` }),
  },
  'POST /v1/namespaces/{namespace}/reject': {
    expect: ADMIN_ONLY(200),
    request: async (f) => ({ path: `/v1/namespaces/${await pendingNamespaceOfA(f)}/reject` }),
  },
  'POST /v1/namespaces/{namespace}/release': {
    expect: OWNER(200),
    request: async (f) => ({ path: `/v1/namespaces/${await verifiedNamespaceOfA(f)}/release` }),
  },
  'POST /v1/namespaces/{namespace}/revoke': {
    expect: ADMIN_ONLY(200),
    request: async (f) => ({
      path: `/v1/namespaces/${await verifiedNamespaceOfA(f)}/revoke`,
      body: { reason: 'matrix' },
    }),
  },
  'POST /v1/servers': {
    expect: OWNER(201),
    request: async (f, who) => (
      await registryOfA(f),
      {
        path: '/v1/servers',
        body: {
          name: `${NS}/s${who.toLowerCase()}${unique()}`,
          origin: 'https://s.matrixa.com',
          description: 'x',
        },
      }
    ),
  },
  'GET /v1/servers': { expect: PUBLIC_200, request: fixed('/v1/servers') },
  'GET /v1/servers/{namespace}/{name}': {
    expect: PUBLIC_200,
    request: async (f) => (await registryOfA(f), { path: `/v1/servers/${SERVER}` }),
  },
  'PATCH /v1/servers/{namespace}/{name}': {
    expect: OWNER(200),
    request: async (f) => (
      await registryOfA(f),
      { path: `/v1/servers/${SERVER}`, body: { description: `updated ${unique()}` } }
    ),
  },
  // Only an admin approves an origin no namespace proves (audited); the owner may not.
  'POST /v1/servers/{namespace}/{name}/origin-approval': {
    expect: ADMIN_ONLY(200),
    request: async (f) => (
      await registryOfA(f),
      {
        path: `/v1/servers/${SERVER}/origin-approval`,
        body: {
          origin: 'https://tool.matrixa.com',
          reason: 'matrix: re-approving its proven origin',
        },
      }
    ),
  },
  'POST /v1/servers/{namespace}/{name}/manifests': {
    expect: OWNER(201),
    request: async (f) => (
      await registryOfA(f),
      {
        path: `/v1/servers/${SERVER}/manifests`,
        body: { version: `3.0.${(counter += 1)}`, tools: [TOOL] },
      }
    ),
  },
  'GET /v1/servers/{namespace}/{name}/manifests': {
    expect: PUBLIC_200,
    request: async (f) => (await registryOfA(f), { path: `/v1/servers/${SERVER}/manifests` }),
  },
  'GET /v1/servers/{namespace}/{name}/manifests/{version}': {
    expect: PUBLIC_200,
    request: async (f) => (await registryOfA(f), { path: `/v1/servers/${SERVER}/manifests/1.0.0` }),
  },
  'GET /v1/manifests/{digest}': {
    expect: PUBLIC_200,
    request: async (f) => ({ path: `/v1/manifests/${(await registryOfA(f)).digest}` }),
  },
  'GET /v1/servers/{namespace}/{name}/manifests/{a}/diff/{b}': {
    expect: PUBLIC_200,
    request: async (f) => (
      await registryOfA(f),
      { path: `/v1/servers/${SERVER}/manifests/1.0.0/diff/1.1.0` }
    ),
  },
  'POST /v1/servers/{namespace}/{name}/manifests/{version}/deprecate': {
    expect: OWNER(200),
    request: async (f) => ({
      path: `/v1/servers/${SERVER}/manifests/${await versionOfA(f)}/deprecate`,
      body: { reason: 'superseded by 3.x' },
    }),
  },
  'POST /v1/servers/{namespace}/{name}/manifests/{version}/yank': {
    expect: OWNER(200),
    request: async (f) => ({
      path: `/v1/servers/${SERVER}/manifests/${await versionOfA(f)}/yank`,
      body: { reason: 'broken build' },
    }),
  },
  'GET /v0.1/servers': { expect: PUBLIC_200, request: fixed('/v0.1/servers') },
  'GET /v0.1/servers/{serverName}/versions': {
    expect: PUBLIC_200,
    request: async (f) => (
      await registryOfA(f),
      { path: `/v0.1/servers/${encodeURIComponent(SERVER)}/versions` }
    ),
  },
  'GET /v0.1/servers/{serverName}/versions/{version}': {
    expect: PUBLIC_200,
    request: async (f) => (
      await registryOfA(f),
      { path: `/v0.1/servers/${encodeURIComponent(SERVER)}/versions/latest` }
    ),
  },
  'GET /v0.1/health': { expect: PUBLIC_200, request: fixed('/v0.1/health') },
  'GET /v0.1/ping': { expect: PUBLIC_200, request: fixed('/v0.1/ping') },
  // The official publish path: a server.json naming A's server; B may not publish it.
  'POST /v0.1/publish': {
    expect: OWNER(201),
    request: async (f) => (
      await registryOfA(f),
      {
        path: '/v0.1/publish',
        body: { name: SERVER, description: 'matrix', version: `2.1.${(counter += 1)}` },
      }
    ),
  },
  'GET /v0/servers': { expect: PUBLIC_200, request: fixed('/v0/servers') },
  'GET /v0/servers/{serverName}/versions': {
    expect: PUBLIC_200,
    request: async (f) => (
      await registryOfA(f),
      { path: `/v0/servers/${encodeURIComponent(SERVER)}/versions` }
    ),
  },
  'GET /v0/servers/{serverName}/versions/{version}': {
    expect: PUBLIC_200,
    request: async (f) => (
      await registryOfA(f),
      { path: `/v0/servers/${encodeURIComponent(SERVER)}/versions/latest` }
    ),
  },
  'GET /v0/health': { expect: PUBLIC_200, request: fixed('/v0/health') },
  'GET /v0/ping': { expect: PUBLIC_200, request: fixed('/v0/ping') },
  // The official publish path: a server.json naming A's server; B may not publish it.
  'POST /v0/publish': {
    expect: OWNER(201),
    request: async (f) => (
      await registryOfA(f),
      {
        path: '/v0/publish',
        body: { name: SERVER, description: 'matrix', version: `2.1.${(counter += 1)}` },
      }
    ),
  },
  'POST /v1/registry/mirror/imports': {
    expect: ADMIN_ONLY(200),
    request: () => ({
      path: '/v1/registry/mirror/imports',
      body: { source: `matrix-${unique()}`, export: { servers: [] } },
    }),
  },
  // A mirrored name in A's namespace: A (or an admin for A) claims it by proof; B may not.
  'POST /v1/registry/mirror/{serverName}/claim': {
    expect: OWNER(200),
    request: async (f, who) => {
      await registryOfA(f);
      const name = `${NS}/mirrored`;
      const imported = await f.ta.request('POST', '/v1/registry/mirror/imports', {
        token: f.ta.adminToken,
        body: {
          source: 'matrix-mirror',
          export: {
            servers: [
              {
                server: {
                  $schema: SERVER_JSON_SCHEMA,
                  name,
                  description: 'mirrored',
                  version: '1.0.0',
                },
              },
            ],
          },
        },
      });
      if (imported.status !== 200)
        throw new Error(`fixture mirror: ${imported.status} ${imported.text}`);
      return {
        path: `/v1/registry/mirror/${encodeURIComponent(name)}/claim`,
        body: who === 'admin' ? { publisher_id: f.A.publisherId } : {},
      };
    },
  },
  // B names A's server: to B it is no subject of its own (400 naming body.subject).
  'POST /v1/certificates': {
    expect: { anonymous: 401, publisherA: 201, publisherB: 400, auditor: 403, admin: 201 },
    request: async (f) => {
      await registryOfA(f);
      return {
        path: '/v1/certificates',
        body: {
          csr: makeCsr('P-256', { san: 'DNS:tool.matrixa.com' }).csrPem,
          profile: 'server',
          subject: SERVER,
        },
      };
    },
  },
  'GET /v1/certificates/{serial}': {
    expect: { anonymous: 401, publisherA: 200, publisherB: 403, auditor: 200, admin: 200 },
    request: async (f) => ({ path: `/v1/certificates/${await certificateOfA(f)}` }),
  },
  'POST /v1/certificates/{serial}/renew': {
    expect: OWNER(201),
    request: async (f) => ({
      path: `/v1/certificates/${await certificateOfA(f)}/renew`,
      body: { csr: makeCsr('P-256', { san: 'DNS:tool.matrixa.com' }).csrPem },
    }),
  },
  'POST /v1/certificates/{serial}/revoke': {
    expect: OWNER(200),
    request: async (f) => ({
      path: `/v1/certificates/${await certificateOfA(f)}/revoke`,
      body: { reason: 'keyCompromise' },
    }),
  },
  'GET /v1/crl': { expect: PUBLIC_200, request: fixed('/v1/crl') },
  'GET /v1/crl.pem': { expect: PUBLIC_200, request: fixed('/v1/crl.pem') },
  'GET /v1/crl/root': { expect: PUBLIC_200, request: fixed('/v1/crl/root') },
  'GET /v1/crl/root.pem': { expect: PUBLIC_200, request: fixed('/v1/crl/root.pem') },
  'GET /v1/crl/{crl}': {
    expect: PUBLIC_200,
    request: (f) => ({ path: `/v1/crl/${f.ta.keyring.issuing.kid}.pem` }),
  },
  // A body that is no OCSP request gets an OCSP malformedRequest answer (RFC 6960 §2.3), HTTP 200.
  'POST /v1/ocsp': { expect: PUBLIC_200, request: fixed('/v1/ocsp', 'not an ocsp request') },
  'GET /v1/ocsp/{request}': { expect: PUBLIC_200, request: fixed('/v1/ocsp/MAA%3D') },
  'GET /v1/agents': {
    expect: { anonymous: 401, publisherA: 200, publisherB: 200, auditor: 200, admin: 200 },
    request: fixed('/v1/agents'),
  },
  // Another publisher's agent is reported as absent, not forbidden: ids do not leak across publishers.
  'GET /v1/agents/{id}': {
    expect: { anonymous: 401, publisherA: 200, publisherB: 404, auditor: 200, admin: 200 },
    request: async (f) => {
      await passportOfA(f);
      const list = await f.ta.request('GET', '/v1/agents', { token: f.A.token });
      return { path: `/v1/agents/${list.json.items[0].id}` };
    },
  },
  // Per-call credentials: no API token, the passport key's signature authenticates (any caller
  // holding the key gets one; a token adds nothing).
  'POST /v1/credentials/challenge': {
    expect: PUBLIC_201,
    request: async (f) => ({
      path: '/v1/credentials/challenge',
      body: { passport_id: (await passportOfA(f)).id },
    }),
  },
  'POST /v1/credentials': {
    expect: PUBLIC_201,
    request: async (f) => {
      await registryOfA(f);
      const { id, key } = await passportOfA(f);
      const ch = await f.ta.request('POST', '/v1/credentials/challenge', {
        body: { passport_id: id },
      });
      if (ch.status !== 201)
        throw new Error(`fixture credential challenge: ${ch.status} ${ch.text}`);
      const claims = { passport_id: id, server: SERVER, tool: TOOL.name };
      const proof = await signJws(key.privateKey, 'mcps-credential-request+jwt', {
        ...claims,
        nonce: ch.json.nonce,
        aud: f.ta.config.taName,
        iat: Math.floor(Date.now() / 1000),
      });
      return { path: '/v1/credentials', body: { ...claims, proof } };
    },
  },
};

/** Operations of an OpenAPI document ("METHOD /path") that have no rule, and rules with no route. */
export function compareWithRoutes(
  document: { paths: Record<string, Record<string, unknown>> },
  rules: Record<string, Rule>,
): { missing: string[]; stale: string[] } {
  const operations = Object.entries(document.paths).flatMap(([p, ops]) =>
    Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
  );
  return {
    missing: operations.filter((o) => !(o in rules)),
    stale: Object.keys(rules).filter((r) => !operations.includes(r)),
  };
}
