// The agent's side of POST /v1/credentials: ask for a nonce, sign the request with the passport
// key (compact JWS, typ mcps-credential-request+jwt), receive the call credential.
import type { KeyObject } from 'node:crypto';
import { CompactSign } from 'jose';
import { CREDENTIAL_REQUEST_TYP } from '../credentials/call-credential.js';
import { GuardError } from './errors.js';

export interface RequestCredentialOptions {
  taUrl: string;
  passportId: string;
  privateKey: KeyObject;
  server: string;
  tool: string | string[];
  ttlSeconds?: number;
  fetch?: typeof fetch;
}

async function post(
  o: RequestCredentialOptions,
  path: string,
  body: unknown,
): Promise<Record<string, unknown>> {
  const url = `${o.taUrl.replace(/\/+$/, '')}${path}`;
  const res = await (o.fetch ?? fetch)(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
    redirect: 'error',
  });
  const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (res.status !== 201)
    throw new GuardError(
      'credential-invalid',
      `${url} answered ${res.status}: ${String(json.detail ?? json.title ?? '')}`,
      { status: res.status, problem: json.code },
    );
  return json;
}

/** Returns a fresh credential (the compact JWT) and when it expires. */
export async function requestCallCredential(
  o: RequestCredentialOptions,
): Promise<{ credential: string; expiresAt: Date }> {
  const ch = await post(o, '/v1/credentials/challenge', { passport_id: o.passportId });
  const payload = {
    nonce: ch.nonce,
    aud: ch.aud,
    iat: Math.floor(Date.now() / 1000),
    passport_id: o.passportId,
    server: o.server,
    tool: o.tool,
  };
  const proof = await new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: 'ES256', typ: CREDENTIAL_REQUEST_TYP })
    .sign(o.privateKey);
  const r = await post(o, '/v1/credentials', {
    passport_id: o.passportId,
    server: o.server,
    tool: o.tool,
    ...(o.ttlSeconds ? { ttl_seconds: o.ttlSeconds } : {}),
    proof,
  });
  return { credential: String(r.credential), expiresAt: new Date(String(r.expires_at)) };
}
