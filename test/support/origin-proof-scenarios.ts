// Proof before signature, route by route: for every route whose OpenAPI operation declares that
// it signs a name-bearing artifact (`x-mcps-signs`, from defineRoute's `signs`), hostile
// scenarios that must be refused for every hostile origin. The test
// (test/integration/origin-proof-routes.test.ts) reads the routes from the generated document, so
// a route that signs and has no scenario here — or a scenario for a route that no longer signs —
// fails it.
import { makeCsr } from './csr.js';
import {
  challenge,
  newSubjectKey,
  popProof,
  rotationStatement,
  type SubjectKeyPair,
} from './passports.js';
import {
  startChallengeSite,
  verifiedNamespace,
  WEATHER_TOOL,
  type ChallengeSite,
} from './registry.js';
import {
  createPublisherWithToken,
  startTestService,
  type TestResponse,
  type TestService,
} from './service.js';

/**
 * What a hostile publisher B (verified only for com.beta) tries to get signed: a host inside
 * publisher A's verified com.alpha, a host nobody here verified, IP literals (loopback, the
 * cloud metadata address) and plain http on B's own domain.
 */
export const HOSTILE_ORIGINS = [
  'https://api.alpha.com',
  'https://www.google.com',
  'https://127.0.0.1',
  'https://169.254.169.254',
  'http://tool.beta.com',
] as const;

/** The hosts of HOSTILE_ORIGINS: no certificate, passport or manifest may ever name one. */
export const HOSTILE_HOSTS = ['api.alpha.com', 'www.google.com', '127.0.0.1', '169.254.169.254'];

export interface Caller {
  publisherId: string;
  token: string;
}

/** A in com.alpha (the victim), B in com.beta (the attacker) with a server, its certificate, passport and manifest. */
export interface OriginFixture {
  ta: TestService;
  site: ChallengeSite;
  A: Caller;
  B: Caller;
  /** B's server, registered with its proven origin https://tool.beta.com. */
  server: string;
  certificateSerial: string;
  serverPassport: { id: string; key: SubjectKeyPair };
  /** Sets the origin on B's server record directly in the database (a record from before the rule, or whose proof moved away), runs `fn`, restores it. */
  withOriginOnRecord<T>(origin: string, fn: () => Promise<T>): Promise<T>;
  stop(): Promise<void>;
}

export const PROVEN_ORIGIN = 'https://tool.beta.com';
const SERVER = 'com.beta/tool';

function must(res: TestResponse, status: number, what: string): TestResponse {
  if (res.status !== status)
    throw new Error(`${what}: expected ${status}, got ${res.status} ${res.text}`);
  return res;
}

/** Issues a server passport for `name` with a fresh key. */
export async function serverPassport(
  ta: TestService,
  token: string,
  name: string,
): Promise<{ res: TestResponse; key: SubjectKeyPair }> {
  const key = newSubjectKey();
  const proof = await popProof(key, await challenge(ta, token), { aud: ta.config.taName });
  const res = await ta.request('POST', '/v1/passports', {
    token,
    body: { subject_type: 'server', name, public_key: key.jwk, proof },
  });
  return { res, key };
}

/**
 * Builds the fixture. B verifies com.beta by the real HTTP challenge, served from 127.0.0.1
 * under TA_ALLOW_PRIVATE_CHALLENGES — the setting lets the challenge fetch reach a private
 * address and nothing more.
 */
export async function originFixture(): Promise<OriginFixture> {
  const ta = await startTestService({ env: { TA_ALLOW_PRIVATE_CHALLENGES: '1' } });
  const site = await startChallengeSite();
  const A = await createPublisherWithToken(ta, 'Alpha Corp');
  const B = await createPublisherWithToken(ta, 'Beta Hostile');
  await verifiedNamespace(ta, A.token, 'com.alpha');
  must(
    await ta.request('POST', '/v1/servers', {
      token: A.token,
      body: {
        name: 'com.alpha/api',
        origin: 'https://api.alpha.com',
        description: 'The genuine alpha API',
      },
    }),
    201,
    'A registers',
  );
  const claim = must(
    await ta.request('POST', '/v1/namespaces', {
      token: B.token,
      body: { namespace: 'com.beta', url: site.url },
    }),
    201,
    'B claims com.beta',
  );
  const token = claim.json.challenge_token as string;
  site.handle((req, res) =>
    req.url === `/.well-known/mcps-challenge/${token}`
      ? res.writeHead(200).end(token)
      : res.writeHead(404).end(),
  );
  must(
    await ta.request('POST', '/v1/namespaces/com.beta/verify', { token: B.token }),
    200,
    'B verifies com.beta',
  );

  must(
    await ta.request('POST', '/v1/servers', {
      token: B.token,
      body: { name: SERVER, origin: PROVEN_ORIGIN, description: 'B, honestly' },
    }),
    201,
    'B registers',
  );
  must(
    await ta.request('POST', `/v1/servers/${SERVER}/manifests`, {
      token: B.token,
      body: { version: '1.0.0', tools: [WEATHER_TOOL] },
    }),
    201,
    'B publishes',
  );
  const cert = must(
    await ta.request('POST', '/v1/certificates', {
      token: B.token,
      body: { csr: makeCsr('P-256').csrPem, profile: 'server', subject: SERVER },
    }),
    201,
    'B certificate',
  );
  const passport = await serverPassport(ta, B.token, SERVER);
  must(passport.res, 201, 'B server passport');

  const setOrigin = (origin: string) =>
    ta.db.sql('update servers set origin = $2 where name = $1', [SERVER, origin]);
  return {
    ta,
    site,
    A,
    B,
    server: SERVER,
    certificateSerial: cert.json.serial as string,
    serverPassport: { id: passport.res.json.passport.passport_id as string, key: passport.key },
    withOriginOnRecord: async (origin, fn) => {
      await setOrigin(origin);
      try {
        return await fn();
      } finally {
        await setOrigin(PROVEN_ORIGIN);
      }
    },
    stop: async () => {
      await site.close();
      await ta.stop();
    },
  };
}

export interface HostileScenario {
  /** What the hostile publisher attempts, in a sentence. */
  attempt: string;
  /** The refusal: status and the field the problem document names. */
  expect: { status: number; field?: string };
  run(f: OriginFixture, origin: string): Promise<TestResponse>;
}

let counter = 0;
const hostOf = (origin: string) => new URL(origin).hostname;

/** Route ("METHOD /path" as in the OpenAPI document) → the scenarios that must be refused for each hostile origin. */
export const HOSTILE_SCENARIOS: Record<string, HostileScenario[]> = {
  'POST /v1/servers': [
    {
      attempt: 'B registers a server under com.beta with the origin',
      expect: { status: 400, field: 'body.origin' },
      run: (f, origin) =>
        f.ta.request('POST', '/v1/servers', {
          token: f.B.token,
          body: { name: `com.beta/impostor-${(counter += 1)}`, origin, description: 'impostor' },
        }),
    },
    {
      attempt: 'B asks to approve the origin itself while registering',
      expect: { status: 403 },
      run: (f, origin) =>
        f.ta.request('POST', '/v1/servers', {
          token: f.B.token,
          body: {
            name: `com.beta/impostor-${(counter += 1)}`,
            origin,
            description: 'impostor',
            origin_approval_reason: 'trust me',
          },
        }),
    },
  ],
  'PATCH /v1/servers/{namespace}/{name}': [
    {
      attempt: "B changes its server's origin to it",
      expect: { status: 400, field: 'body.origin' },
      run: (f, origin) =>
        f.ta.request('PATCH', `/v1/servers/${f.server}`, { token: f.B.token, body: { origin } }),
    },
  ],
  'POST /v1/servers/{namespace}/{name}/origin-approval': [
    {
      attempt: 'B approves the origin for its own server',
      expect: { status: 403 },
      run: (f, origin) =>
        f.ta.request('POST', `/v1/servers/${f.server}/origin-approval`, {
          token: f.B.token,
          body: { origin, reason: 'trust me' },
        }),
    },
  ],
  'POST /v1/servers/{namespace}/{name}/manifests': [
    {
      attempt: 'B publishes a manifest while its server record carries the origin',
      expect: { status: 409, field: 'path.name' },
      run: (f, origin) =>
        f.withOriginOnRecord(origin, () =>
          f.ta.request('POST', `/v1/servers/${f.server}/manifests`, {
            token: f.B.token,
            body: { version: `9.0.${(counter += 1)}`, tools: [WEATHER_TOOL] },
          }),
        ),
    },
    {
      attempt: 'B publishes a version whose server.json names the host as a remote',
      expect: { status: 409, field: 'body.server_json.remotes.0.url' },
      run: (f, origin) =>
        f.ta.request('POST', `/v1/servers/${f.server}/manifests`, {
          token: f.B.token,
          body: {
            version: `9.0.${(counter += 1)}`,
            tools: [WEATHER_TOOL],
            server_json: { remotes: [{ type: 'streamable-http', url: `${origin}/mcp` }] },
          },
        }),
    },
  ],
  'POST /v0.1/publish': [
    {
      attempt:
        'B publishes a server.json (official path) while its server record carries the origin',
      expect: { status: 409, field: 'body.name' },
      run: (f, origin) =>
        f.withOriginOnRecord(origin, () =>
          f.ta.request('POST', '/v0.1/publish', {
            token: f.B.token,
            body: { name: f.server, description: 'tool', version: `9.1.${(counter += 1)}` },
          }),
        ),
    },
    {
      attempt: 'B publishes a server.json (official path) naming the host as a remote',
      expect: { status: 409, field: 'body.remotes.0.url' },
      run: (f, origin) =>
        f.ta.request('POST', '/v0.1/publish', {
          token: f.B.token,
          body: {
            name: f.server,
            description: 'tool',
            version: `9.1.${(counter += 1)}`,
            remotes: [{ type: 'sse', url: `${origin}/sse` }],
          },
        }),
    },
  ],
  'POST /v0/publish': [
    {
      attempt:
        'B publishes a server.json (official path) while its server record carries the origin',
      expect: { status: 409, field: 'body.name' },
      run: (f, origin) =>
        f.withOriginOnRecord(origin, () =>
          f.ta.request('POST', '/v0/publish', {
            token: f.B.token,
            body: { name: f.server, description: 'tool', version: `9.1.${(counter += 1)}` },
          }),
        ),
    },
    {
      attempt: 'B publishes a server.json (official path) naming the host as a remote',
      expect: { status: 409, field: 'body.remotes.0.url' },
      run: (f, origin) =>
        f.ta.request('POST', '/v0/publish', {
          token: f.B.token,
          body: {
            name: f.server,
            description: 'tool',
            version: `9.1.${(counter += 1)}`,
            remotes: [{ type: 'sse', url: `${origin}/sse` }],
          },
        }),
    },
  ],
  'POST /v1/passports': [
    {
      attempt: 'B asks for an agent passport with the origin',
      expect: { status: 400, field: 'body.origin' },
      run: async (f, origin) => {
        const key = newSubjectKey();
        const proof = await popProof(key, await challenge(f.ta, f.B.token), {
          aud: f.ta.config.taName,
        });
        return f.ta.request('POST', '/v1/passports', {
          token: f.B.token,
          body: {
            subject_type: 'agent',
            name: 'impostor-agent',
            origin,
            public_key: key.jwk,
            proof,
          },
        });
      },
    },
    {
      attempt: 'B asks for a server passport while its server record carries the origin',
      expect: { status: 409, field: 'body.name' },
      run: (f, origin) =>
        f.withOriginOnRecord(
          origin,
          async () => (await serverPassport(f.ta, f.B.token, f.server)).res,
        ),
    },
  ],
  'POST /v1/passports/issuers': [
    {
      attempt: 'B creates a delegated issuer bounded by the origin',
      expect: { status: 403 },
      run: async (f, origin) => {
        const key = newSubjectKey();
        const proof = await popProof(key, await challenge(f.ta, f.B.token), {
          aud: f.ta.config.taName,
        });
        return f.ta.request('POST', '/v1/passports/issuers', {
          token: f.B.token,
          body: {
            publisher_id: f.B.publisherId,
            name: 'impostor-issuer',
            origin,
            max_trust_level: 3,
            public_key: key.jwk,
            proof,
          },
        });
      },
    },
  ],
  'POST /v1/passports/{id}/rotate': [
    {
      attempt: "B rotates its server passport's key while the server record carries the origin",
      expect: { status: 409, field: 'path.id' },
      run: (f, origin) =>
        f.withOriginOnRecord(origin, async () => {
          const key = newSubjectKey();
          const nonce = await challenge(f.ta, f.B.token);
          const rotation = await rotationStatement(f.serverPassport.key, {
            passportId: f.serverPassport.id,
            newKid: key.kid,
            nonce,
          });
          const proof = await popProof(key, nonce, { aud: f.ta.config.taName });
          return f.ta.request('POST', `/v1/passports/${f.serverPassport.id}/rotate`, {
            token: f.B.token,
            body: { public_key: key.jwk, proof, rotation },
          });
        }),
    },
  ],
  'POST /v1/passports/{id}/approve': [
    {
      attempt: "an admin approves B's server passport while the server record carries the origin",
      expect: { status: 409, field: 'path.id' },
      run: (f, origin) =>
        f.withOriginOnRecord(origin, () =>
          f.ta.request('POST', `/v1/passports/${f.serverPassport.id}/approve`, {
            token: f.ta.adminToken,
            body: {},
          }),
        ),
    },
  ],
  'POST /v1/certificates': [
    {
      attempt:
        'B asks for a server certificate naming the host while its server record carries the origin',
      expect: { status: 409, field: 'body.subject' },
      run: (f, origin) =>
        f.withOriginOnRecord(origin, () => {
          const host = hostOf(origin);
          const csr = makeCsr('P-256', {
            san: /^[\d.]+$/.test(host) ? `IP:${host}` : `DNS:${host}`,
          }).csrPem;
          return f.ta.request('POST', '/v1/certificates', {
            token: f.B.token,
            body: { csr, profile: 'server', subject: f.server },
          });
        }),
    },
  ],
  'POST /v1/certificates/{serial}/renew': [
    {
      attempt: 'B renews its server certificate while the server record carries the origin',
      expect: { status: 409, field: 'path.serial' },
      run: (f, origin) =>
        f.withOriginOnRecord(origin, () =>
          f.ta.request('POST', `/v1/certificates/${f.certificateSerial}/renew`, {
            token: f.B.token,
            body: { csr: makeCsr('P-256').csrPem },
          }),
        ),
    },
  ],
};

/** Operations ("METHOD /path") that declare a non-empty x-mcps-signs. */
export function signingOperations(document: {
  paths: Record<string, Record<string, { 'x-mcps-signs'?: string[] }>>;
}): string[] {
  return Object.entries(document.paths).flatMap(([p, ops]) =>
    Object.entries(ops)
      .filter(([, op]) => (op['x-mcps-signs'] ?? []).length > 0)
      .map(([m]) => `${m.toUpperCase()} ${p}`),
  );
}

/** Signing routes without scenarios, and scenarios for routes that do not sign (or do not exist). */
export function compareWithSigningRoutes(
  document: { paths: Record<string, Record<string, { 'x-mcps-signs'?: string[] }>> },
  scenarios: Record<string, HostileScenario[]>,
): { missing: string[]; stale: string[] } {
  const signing = signingOperations(document);
  return {
    missing: signing.filter((o) => !(o in scenarios) || scenarios[o]!.length === 0),
    stale: Object.keys(scenarios).filter((o) => !signing.includes(o)),
  };
}
