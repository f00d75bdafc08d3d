// Mixed write load against service processes over real HTTP (resilience tests): passport
// issuance (challenge → proof → issue), server-certificate issuance, revocations of both, and
// manifest publish + yank. A write counts as acknowledged only once a 2xx response was read.
import { READ_FILE_TOOL } from './registry.js';
import { makeCsr } from './csr.js';
import { newSubjectKey, popProof } from './passports.js';

/** A process died under the load (connection refused or reset): not a failed request. */
export class ConnectionLost extends Error {}

/** What the services acknowledged with a 2xx, in acknowledgement order. */
export interface Acknowledged {
  passports: string[];
  certificates: string[];
  revokedPassports: string[];
  revokedCertificates: string[];
  /** Digests of yanked manifest versions. */
  yanked: string[];
}

/** Empty lists to fill during a load run. */
export function emptyAcknowledged(): Acknowledged {
  return {
    passports: [],
    certificates: [],
    revokedPassports: [],
    revokedCertificates: [],
    yanked: [],
  };
}

/** A publisher with a verified namespace, a registered server and a CSR for its origin host. */
export interface LoadSubject {
  token: string;
  publisherId: string;
  server: string;
  csrPem: string;
}

/** One request with a bearer token; ConnectionLost when no complete response came back. */
export async function call(
  base: string,
  method: string,
  p: string,
  token: string,
  body?: unknown,
): Promise<{ status: number; json: any; text: string }> {
  let res: Response;
  try {
    res = await fetch(`${base}${p}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    throw new ConnectionLost(`${method} ${p}: ${(err as Error).message}`);
  }
  let text: string;
  try {
    text = await res.text();
  } catch (err) {
    throw new ConnectionLost(`${method} ${p}: body lost: ${(err as Error).message}`);
  }
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}

/** `call` that insists on `expected`; anything else is an Error naming the response. */
async function expect(
  base: string,
  method: string,
  p: string,
  token: string,
  body: unknown,
  expected: number,
): Promise<any> {
  const r = await call(base, method, p, token, body);
  if (r.status !== expected)
    throw new Error(`${method} ${p} → ${r.status} ${r.text.slice(0, 300)}`);
  return r.json;
}

/** Sets up a publisher (as the admin) owning `namespace` and the server `<namespace>/weather`. */
export async function prepareLoadSubject(
  base: string,
  adminToken: string,
  namespace = 'com.example',
): Promise<LoadSubject> {
  const pub = await expect(
    base,
    'POST',
    '/v1/publishers',
    adminToken,
    { name: `Load ${namespace}` },
    201,
  );
  const { token } = await expect(
    base,
    'POST',
    `/v1/publishers/${pub.id}/tokens`,
    adminToken,
    { role: 'publisher' },
    201,
  );
  const domain = namespace.split('.').reverse().join('.');
  await expect(base, 'POST', '/v1/namespaces', token, { namespace, url: `https://${domain}` }, 201);
  await expect(base, 'POST', `/v1/namespaces/${namespace}/approve`, adminToken, undefined, 200);
  const server = `${namespace}/weather`;
  const host = `mcp.${domain}`;
  await expect(
    base,
    'POST',
    '/v1/servers',
    token,
    { name: server, origin: `https://${host}`, description: 'load target' },
    201,
  );
  return {
    token,
    publisherId: pub.id,
    server,
    csrPem: makeCsr('P-256', { san: `DNS:${host}` }).csrPem,
  };
}

/** Issues an agent passport through `base`; returns its id. */
export async function issuePassport(base: string, s: LoadSubject, name: string): Promise<string> {
  const key = newSubjectKey();
  const c = await expect(base, 'POST', '/v1/passports/challenge', s.token, undefined, 201);
  const proof = await popProof(key, c.nonce, { aud: c.aud });
  const body = {
    subject_type: 'agent',
    name,
    capabilities: ['tools:read'],
    public_key: key.jwk,
    proof,
  };
  return (await expect(base, 'POST', '/v1/passports', s.token, body, 201)).passport.passport_id;
}

/** Issues a server certificate through `base`; returns its serial. */
export async function issueCertificate(base: string, s: LoadSubject): Promise<string> {
  return (
    await expect(
      base,
      'POST',
      '/v1/certificates',
      s.token,
      { csr: s.csrPem, profile: 'server', subject: s.server },
      201,
    )
  ).serial;
}

/** Revokes a passport (keyCompromise) through `base`. */
export async function revokePassport(base: string, s: LoadSubject, id: string): Promise<void> {
  await expect(
    base,
    'POST',
    `/v1/passports/${id}/revoke`,
    s.token,
    { reason: 'keyCompromise' },
    200,
  );
}

/**
 * Revokes a certificate (cessationOfOperation) through `base`. Not keyCompromise: the subject's
 * certificates share one key (`csrPem`), and a keyCompromise would revoke them all and refuse
 * every later issuance for that key (revocation follows the key).
 */
export async function revokeCertificate(
  base: string,
  s: LoadSubject,
  serial: string,
): Promise<void> {
  await expect(
    base,
    'POST',
    `/v1/certificates/${serial}/revoke`,
    s.token,
    { reason: 'cessationOfOperation' },
    200,
  );
}

/** Publishes `version` of the subject's server and yanks it; returns the yanked digest. */
export async function publishAndYank(
  base: string,
  s: LoadSubject,
  version: string,
): Promise<string> {
  const path = `/v1/servers/${s.server}/manifests`;
  const { digest } = await expect(
    base,
    'POST',
    path,
    s.token,
    { version, tools: [READ_FILE_TOOL] },
    201,
  );
  await expect(base, 'POST', `${path}/${version}/yank`, s.token, { reason: 'load test yank' }, 200);
  return digest;
}

/** Every entry of the revocation feed, following `next_since`. */
export async function readFeed(
  base: string,
): Promise<Array<{ seq: number; kind: string; subject: string }>> {
  const out: Array<{ seq: number; kind: string; subject: string }> = [];
  for (let since = 0; ;) {
    const res = await fetch(`${base}/v1/revocations?since=${since}&limit=1000`);
    if (res.status !== 200) throw new Error(`feed: ${res.status}`);
    const page = (await res.json()) as {
      revocations: typeof out;
      next_since: number;
      has_more: boolean;
    };
    out.push(...page.revocations);
    since = page.next_since;
    if (!page.has_more) return out;
  }
}
