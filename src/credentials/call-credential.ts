// Per-call credentials (DESIGN.md §12): a short-lived compact JWT (RFC 7519) that lets one agent
// call one or a few tools of one MCP server. ES256 by the TA's active passport-signing key (a JWKS
// key; see docs/mcp-guards.md for why no dedicated key), header typ `mcps-call+jwt`, claims
//   iss  the TA name        sub  the agent's passport_id     aud  the server name
//   tool a tool name, or a list of them                      jti  random, unique
//   iat, exp  (exp − iat ≤ 300 s, default 60 s)              cnf  {jkt: RFC 7638 thumbprint of
//                                                                  the passport key} (RFC 7800
//                                                                  §3.1, as RFC 9449 §6.1 uses it)
// A credential is only usable with a message signed by that key (the MCPS envelope), so a stolen
// credential alone calls nothing.
import { randomId } from '../crypto/random.js';
import type { P256Signer } from '../crypto/signer.js';

export const CALL_CREDENTIAL_TYP = 'mcps-call+jwt';
/** typ of the JWS an agent signs to ask for a credential (POST /v1/credentials `proof`). */
export const CREDENTIAL_REQUEST_TYP = 'mcps-credential-request+jwt';
export const MAX_CREDENTIAL_TTL_SECONDS = 300;
export const DEFAULT_CREDENTIAL_TTL_SECONDS = 60;
/** Where a guarded client puts the credential in a tools/call request (covered by the envelope). */
export const CREDENTIAL_META_KEY = 'dev.mcps-ta/credential';

export interface CallCredentialClaims {
  iss: string;
  sub: string;
  aud: string;
  tool: string | string[];
  iat: number;
  exp: number;
  jti: string;
  cnf: { jkt: string };
}

const b64u = (v: unknown) => Buffer.from(JSON.stringify(v), 'utf8').toString('base64url');

/**
 * Signs the claims as a compact JWS (RFC 7515 §7.1). An ES256 JWS signature is the P1363 r‖s of
 * the signing input (RFC 7518 §3.4), which is exactly what the signer produces (low-S).
 */
export function signCallCredential(signer: P256Signer, claims: CallCredentialClaims): string {
  const input = `${b64u({ alg: 'ES256', typ: CALL_CREDENTIAL_TYP, kid: signer.kid })}.${b64u(claims)}`;
  return `${input}.${signer.sign(Buffer.from(input, 'ascii')).toString('base64url')}`;
}

/** Claims for a new credential issued at `now`. */
export function callCredentialClaims(o: {
  issuer: string;
  passportId: string;
  server: string;
  tool: string | string[];
  jkt: string;
  now: Date;
  ttlSeconds: number;
}): CallCredentialClaims {
  const iat = Math.floor(o.now.getTime() / 1000);
  return {
    iss: o.issuer,
    sub: o.passportId,
    aud: o.server,
    tool: o.tool,
    iat,
    exp: iat + o.ttlSeconds,
    jti: randomId('cc_'),
    cnf: { jkt: o.jkt },
  };
}
