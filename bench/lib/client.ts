// A small HTTP client for benchmark set-up and for issuance loops (proofs made with jose, as a
// real client would make them).
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import http from 'node:http';
import { CompactSign } from 'jose';
import type { ServiceProcess } from './service-process.js';

export async function call(
  service: ServiceProcess,
  method: string,
  path: string,
  o: { token?: string; body?: unknown } = {},
): Promise<{ status: number; json: any }> {
  const headers: Record<string, string> = {};
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  const body = o.body === undefined ? undefined : JSON.stringify(o.body);
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(body));
  }
  const res = await request(`${service.url}${path}`, method, headers, body);
  let json: unknown;
  try {
    json = JSON.parse(res.text);
  } catch {
    json = res.text;
  }
  return { status: res.status, json };
}

// node:http with kept-alive connections rather than fetch: for the issuance loops the load
// generator shares the two cores with the service, and fetch cost it 1–2 ms of CPU per request
// (measured from /proc), several times what node:http costs.
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function request(
  url: string,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function must(
  service: ServiceProcess,
  method: string,
  path: string,
  o: { token?: string; body?: unknown },
  status: number,
) {
  const r = await call(service, method, path, o);
  if (r.status !== status)
    throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.json).slice(0, 300)}`);
  return r.json;
}

/** A publisher and a publisher token. */
export async function publisherToken(
  service: ServiceProcess,
  name: string,
): Promise<{ publisherId: string; token: string }> {
  const p = await must(
    service,
    'POST',
    '/v1/publishers',
    { token: service.adminToken, body: { name } },
    201,
  );
  const t = await must(
    service,
    'POST',
    `/v1/publishers/${p.id}/tokens`,
    { token: service.adminToken, body: { role: 'publisher' } },
    201,
  );
  return { publisherId: p.id, token: t.token };
}

export interface SubjectKey {
  privateKey: KeyObject;
  jwk: { kty: string; crv: string; x: string; y: string };
}

export function subjectKey(): SubjectKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const j = publicKey.export({ format: 'jwk' }) as SubjectKey['jwk'];
  return { privateKey, jwk: { kty: j.kty, crv: j.crv, x: j.x, y: j.y } };
}

/** challenge → proof → POST /v1/passports; true on 201. */
export async function issuePassport(
  service: ServiceProcess,
  token: string,
  audience: string,
  name: string,
): Promise<{ ok: boolean; passportId?: string }> {
  const key = subjectKey();
  const c = await call(service, 'POST', '/v1/passports/challenge', { token });
  if (c.status !== 201) return { ok: false };
  const proof = await new CompactSign(
    new TextEncoder().encode(
      JSON.stringify({ nonce: c.json.nonce, aud: audience, iat: Math.floor(Date.now() / 1000) }),
    ),
  )
    .setProtectedHeader({ alg: 'ES256', typ: 'mcps-pop+jwt' })
    .sign(key.privateKey);
  const r = await call(service, 'POST', '/v1/passports', {
    token,
    body: { subject_type: 'agent', name, public_key: key.jwk, proof },
  });
  return r.status === 201 ? { ok: true, passportId: r.json.passport.passport_id } : { ok: false };
}

/** A verified namespace, a server and one published manifest; returns its digest. */
export async function publishedManifest(service: ServiceProcess, token: string): Promise<string> {
  await must(
    service,
    'POST',
    '/v1/namespaces',
    { token, body: { namespace: 'com.bench', url: 'https://bench.com' } },
    201,
  );
  await must(
    service,
    'POST',
    '/v1/namespaces/com.bench/approve',
    { token: service.adminToken },
    200,
  );
  await must(
    service,
    'POST',
    '/v1/servers',
    {
      token,
      body: { name: 'com.bench/tools', origin: 'https://tools.bench.com', description: 'bench' },
    },
    201,
  );
  const tools = Array.from({ length: 8 }, (_, i) => ({
    name: `tool_${i}`,
    description: `Benchmark tool number ${i}`,
    inputSchema: {
      type: 'object',
      properties: { q: { type: 'string' }, n: { type: 'integer' } },
      required: ['q'],
    },
  }));
  const m = await must(
    service,
    'POST',
    '/v1/servers/com.bench/tools/manifests',
    { token, body: { version: '1.0.0', tools } },
    201,
  );
  return m.digest as string;
}
