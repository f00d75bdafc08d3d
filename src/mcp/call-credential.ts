// Offline verification of a per-call credential (src/credentials/call-credential.ts) by a guarded
// MCP server: signed by a key of the TA's JWKS (the trusted anchors' keys), typ mcps-call+jwt,
// issued by that TA for this server (aud), naming the tool called, unexpired with a lifetime of at
// most 5 minutes, bound (cnf.jkt) to the key that signed the message's envelope, and for a
// passport the revocation feed does not list.
import { errors, jwtVerify, type JWTPayload } from 'jose';
import { CALL_CREDENTIAL_TYP, MAX_CREDENTIAL_TTL_SECONDS } from '../credentials/call-credential.js';
import type { RevocationLookup } from '../verifier/revocations.js';
import type { TrustedKeys } from '../verifier/trusted-keys.js';
import { GuardError } from './errors.js';

export interface CheckCredentialOptions {
  keys: TrustedKeys;
  revocations?: RevocationLookup;
  /** This server's name: the credential's `aud`. */
  audience: string;
  tool: string;
  /** passport_id of the envelope's signer. */
  passportId: string;
  /** RFC 7638 thumbprint of the envelope signer's key. */
  jkt: string;
  now: Date;
  clockToleranceSeconds?: number;
}

/** Verifies `credential`; returns its claims or throws a GuardError with a credential-* code. */
export async function checkCallCredential(
  credential: unknown,
  o: CheckCredentialOptions,
): Promise<JWTPayload> {
  if (typeof credential !== 'string' || credential.length === 0)
    throw new GuardError(
      'credential-missing',
      'this call needs a per-call credential (POST /v1/credentials)',
    );
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(
      credential,
      (header) => {
        const key = typeof header.kid === 'string' ? o.keys.keyFor(header.kid) : undefined;
        if (!key)
          throw new GuardError(
            'credential-invalid',
            `credential signed by key ${String(header.kid)}, which the trusted JWKS does not list`,
          );
        return key;
      },
      {
        algorithms: ['ES256'],
        typ: CALL_CREDENTIAL_TYP,
        issuer: o.keys.issuer,
        currentDate: o.now,
        clockTolerance: o.clockToleranceSeconds ?? 0,
        requiredClaims: ['sub', 'aud', 'exp', 'iat', 'jti'],
      },
    ));
  } catch (err) {
    if (err instanceof GuardError) throw err;
    if (err instanceof errors.JWTExpired)
      throw new GuardError('credential-expired', 'the call credential has expired: get a new one');
    throw new GuardError(
      'credential-invalid',
      `the call credential does not verify: ${(err as Error).message}`,
    );
  }
  const aud = payload.aud;
  if (!(aud === o.audience || (Array.isArray(aud) && aud.length === 1 && aud[0] === o.audience))) {
    throw new GuardError(
      'credential-audience',
      `the call credential is for ${JSON.stringify(aud)}, not for this server ${JSON.stringify(o.audience)}`,
    );
  }
  if (
    typeof payload.iat !== 'number' ||
    typeof payload.exp !== 'number' ||
    payload.exp - payload.iat > MAX_CREDENTIAL_TTL_SECONDS
  ) {
    throw new GuardError(
      'credential-invalid',
      `a call credential lives at most ${MAX_CREDENTIAL_TTL_SECONDS} s`,
    );
  }
  const tools = (payload as { tool?: unknown }).tool;
  const allowed = typeof tools === 'string' ? [tools] : Array.isArray(tools) ? tools : [];
  if (!allowed.includes(o.tool))
    throw new GuardError(
      'credential-tool',
      `the call credential does not cover tool ${JSON.stringify(o.tool)}`,
      { tool: o.tool },
    );
  if (payload.sub !== o.passportId)
    throw new GuardError(
      'credential-binding',
      'the call credential was issued to another passport than the message signer',
    );
  const jkt = (payload as { cnf?: { jkt?: unknown } }).cnf?.jkt;
  if (jkt !== o.jkt)
    throw new GuardError(
      'credential-binding',
      'the call credential is bound (cnf.jkt) to another key than the one that signed the message',
    );
  const revoked = o.revocations?.get('passport', payload.sub);
  if (revoked)
    throw new GuardError(
      'credential-revoked',
      `the credential's passport ${payload.sub} is revoked (${revoked.reason})`,
    );
  return payload;
}
