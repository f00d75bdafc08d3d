// Issuing per-call credentials (POST /v1/credentials/challenge, POST /v1/credentials). No API
// token: the agent authenticates with its passport key. It asks for a single-use nonce, then
// sends a compact JWS by its active passport's key (typ `mcps-credential-request+jwt`, payload
// {nonce, aud: <TA name>, iat, passport_id, server, tool}) — the request it signs is the request
// served. The nonce is consumed in a transaction, so a proof works once.
import { randomBytes } from 'node:crypto';
import { ConflictError, InvalidRequestError, NotFoundError, TaError } from '../errors.js';
import { publicKeyFromJwk } from '../crypto/ecdsa.js';
import { jwkThumbprint, type EcPublicJwk } from '../crypto/jwk.js';
import type { P256Signer } from '../crypto/signer.js';
import { CHALLENGE_TTL_SECONDS, consumeNonces, hashNonce } from '../passports/challenge.js';
import { effectiveState } from '../passports/passport.js';
import { MAX_PROOF_AGE_SECONDS, MAX_PROOF_SKEW_SECONDS, verifyJws } from '../passports/proofs.js';
import { TOOL_NAME_PATTERN } from '../manifests/manifest-input.js';
import type { Persistence } from '../stores.js';
import {
  callCredentialClaims,
  CREDENTIAL_REQUEST_TYP,
  DEFAULT_CREDENTIAL_TTL_SECONDS,
  MAX_CREDENTIAL_TTL_SECONDS,
  signCallCredential,
  type CallCredentialClaims,
} from './call-credential.js';
import type { IssuanceAudit } from './issuance-audit.js';
import type { RateLimiter } from './rate-limit.js';

/** Too many requests for one passport in this minute. */
export class RateLimitedError extends TaError {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    super(
      'too-many-requests',
      `too many credential requests for this passport: retry in ${retryAfterSeconds} s`,
    );
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export interface CredentialDeps {
  persistence: Persistence;
  /** The active passport-signing key (a JWKS key). */
  signer: P256Signer;
  issuer: string;
  limiter: RateLimiter;
  audit: IssuanceAudit;
  /** Counts outcomes for /metrics: issued, rate_limited, refused. */
  count?(outcome: 'issued' | 'rate_limited' | 'refused'): void;
}

export interface IssueCredentialInput {
  passportId: string;
  server: string;
  tool: string | string[];
  ttlSeconds?: number;
  proof: string;
}

/** An active agent passport, or the refusal. Reads outside a transaction. */
async function activeAgentPassport(d: CredentialDeps, passportId: string) {
  const r = await d.persistence.stores.passports.findById(passportId);
  if (!r) throw new NotFoundError(`no passport ${passportId}`);
  if (r.subjectType !== 'agent')
    throw InvalidRequestError.field(
      'body.passport_id',
      'credentials are issued to agent passports',
    );
  const state = effectiveState(r, d.persistence.clock.now());
  if (state !== 'active')
    throw new ConflictError(
      `passport ${passportId} is ${state}: only an active passport gets credentials`,
    );
  return r;
}

function limit(d: CredentialDeps, key: string) {
  const r = d.limiter.take(key, d.persistence.clock.now());
  if (!r.ok) {
    d.count?.('rate_limited');
    throw new RateLimitedError(r.retryAfterSeconds);
  }
}

/** A single-use nonce for a credential request of `passportId`, bound to the passport's publisher. */
export async function createCredentialChallenge(
  d: CredentialDeps,
  passportId: string,
): Promise<{ nonce: string; expiresAt: Date }> {
  limit(d, `challenge:${passportId}`);
  const r = await activeAgentPassport(d, passportId);
  const now = d.persistence.clock.now();
  const nonce = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + CHALLENGE_TTL_SECONDS * 1000);
  await d.persistence.stores.challenges.insert({
    nonceHash: hashNonce(nonce),
    publisherId: r.publisherId,
    createdAt: now,
    expiresAt,
  });
  return { nonce, expiresAt };
}

function sameTools(a: unknown, b: string | string[]): boolean {
  const norm = (x: unknown) => (Array.isArray(x) ? x : [x]).map(String).sort().join('\u0000');
  return (typeof a === 'string' || Array.isArray(a)) && norm(a) === norm(b);
}

function checkInput(i: IssueCredentialInput): void {
  const tools = Array.isArray(i.tool) ? i.tool : [i.tool];
  if (tools.length === 0 || tools.length > 16)
    throw InvalidRequestError.field('body.tool', 'name one tool, or a list of 1–16 tools');
  if (!tools.every((t) => TOOL_NAME_PATTERN.test(t)))
    throw InvalidRequestError.field(
      'body.tool',
      'tool names are 1–128 characters of A–Z, a–z, 0–9, "_", "-" and "."',
    );
  if (new Set(tools).size !== tools.length)
    throw InvalidRequestError.field('body.tool', 'a tool is listed twice');
  const ttl = i.ttlSeconds ?? DEFAULT_CREDENTIAL_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_CREDENTIAL_TTL_SECONDS)
    throw InvalidRequestError.field(
      'body.ttl_seconds',
      `must be an integer from 1 to ${MAX_CREDENTIAL_TTL_SECONDS}`,
    );
}

/** Verifies the signed request and issues the credential. */
export async function issueCallCredential(
  d: CredentialDeps,
  i: IssueCredentialInput,
): Promise<{ credential: string; claims: CallCredentialClaims }> {
  limit(d, `credential:${i.passportId}`);
  try {
    checkInput(i);
    const passport = await activeAgentPassport(d, i.passportId);
    const server = await d.persistence.stores.servers.find(i.server);
    if (!server) throw InvalidRequestError.field('body.server', `no registered server ${i.server}`);
    const key = publicKeyFromJwk(passport.document.public_key);
    const r = await verifyJws(i.proof, key, CREDENTIAL_REQUEST_TYP);
    if (!r.ok)
      throw InvalidRequestError.field(
        'body.proof',
        r.why === 'signature' ? "is not signed by the passport's key" : r.message,
      );
    const p = r.payload;
    const now = d.persistence.clock.now();
    if (p.aud !== d.issuer)
      throw InvalidRequestError.field('body.proof', `aud must be ${JSON.stringify(d.issuer)}`);
    if (p.passport_id !== i.passportId || p.server !== i.server || !sameTools(p.tool, i.tool)) {
      throw InvalidRequestError.field(
        'body.proof',
        'passport_id, server and tool must be those of the request',
      );
    }
    const iat = p.iat;
    const nowS = now.getTime() / 1000;
    if (typeof iat !== 'number' || !Number.isInteger(iat))
      throw InvalidRequestError.field('body.proof', 'iat must be an integer (seconds)');
    if (iat > nowS + MAX_PROOF_SKEW_SECONDS)
      throw InvalidRequestError.field('body.proof', 'iat is in the future');
    if (iat < nowS - MAX_PROOF_AGE_SECONDS)
      throw InvalidRequestError.field('body.proof', `iat is older than ${MAX_PROOF_AGE_SECONDS} s`);
    if (typeof p.nonce !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(p.nonce))
      throw InvalidRequestError.field(
        'body.proof',
        'nonce must come from /v1/credentials/challenge',
      );
    const nonce = p.nonce;
    await d.persistence.transact((s) =>
      consumeNonces(s, [nonce], {
        publisherId: passport.publisherId,
        byAdmin: false,
        now,
        field: 'body.proof',
      }),
    );
    const claims = callCredentialClaims({
      issuer: d.issuer,
      passportId: i.passportId,
      server: i.server,
      tool: i.tool,
      jkt: jwkThumbprint(passport.document.public_key as EcPublicJwk),
      now,
      ttlSeconds: i.ttlSeconds ?? DEFAULT_CREDENTIAL_TTL_SECONDS,
    });
    const credential = signCallCredential(d.signer, claims);
    d.audit.record(i.passportId, i.server, now);
    d.count?.('issued');
    return { credential, claims };
  } catch (err) {
    d.count?.('refused');
    throw err;
  }
}
