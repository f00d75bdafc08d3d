// Verifies a passport for a relying party: the strict verifier (src/passports/verify.ts) with the
// keys of trusted anchors and the revocations of the signed feed, and a verdict that says what to
// do about a failure. Takes a bare passport or the API's `{passport, status}` response.
import { verifyPassport, type PassportProblem } from '../passports/verify.js';
import type { PassportDocument } from '../passports/passport.js';
import { EXIT, reject, type ExitCode, type Verdict } from './exit-codes.js';
import type { RevocationLookup } from './revocations.js';
import type { TrustedKeys } from './trusted-keys.js';

export interface CheckPassportOptions {
  keys: TrustedKeys;
  /** From the revocation feed; without it revocation is not checked. */
  revocations?: RevocationLookup;
  now: Date;
  /** Allowance for clocks running behind the issuer's; default 0. */
  clockToleranceSeconds?: number;
}

export interface VerifiedPassport {
  passport: PassportDocument;
  /** Issuer chain, direct issuer first. */
  chain: PassportDocument[];
}

const CODE: Record<PassportProblem, ExitCode> = {
  'bad-signature': EXIT.passportSignature,
  'high-s': EXIT.passportSignature,
  'unknown-kid': EXIT.passportSignature,
  expired: EXIT.passportTime,
  'issued-in-future': EXIT.passportTime,
  'bad-time': EXIT.passportInvalid,
  revoked: EXIT.passportRevoked,
  malformed: EXIT.passportInvalid,
  'too-large': EXIT.passportInvalid,
  'chain-too-long': EXIT.passportInvalid,
  'issuer-mismatch': EXIT.passportInvalid,
  'not-an-issuer': EXIT.passportInvalid,
  'wider-than-parent': EXIT.passportInvalid,
};

/**
 * The passport in `input`: the document itself, or the `passport` member of an API response
 * (`POST /v1/passports`, `GET /v1/passports/{id}`: `{passport, status}`).
 */
export function passportIn(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  const x = input as Record<string, unknown>;
  const inner = x.passport;
  // A bare passport has no `passport` object; an API response ({passport, status, passport_id…}) has.
  if (typeof inner !== 'object' || inner === null || Array.isArray(inner) || !('status' in x))
    return input;
  return inner;
}

/** Verifies `input` (a parsed passport, or an API response carrying one). Never throws. */
export function checkPassport(
  wrapped: unknown,
  o: CheckPassportOptions,
): Verdict<VerifiedPassport> {
  const input = passportIn(wrapped);
  const revoked = o.revocations;
  const r = verifyPassport(input, {
    issuer: o.keys.issuer,
    taKeyFor: o.keys.keyFor,
    taKeys: () => o.keys.all().map((k) => k.key),
    now: o.now,
    isRevoked: revoked ? (id) => revoked.get('passport', id) !== undefined : undefined,
    clockToleranceSeconds: o.clockToleranceSeconds,
  });
  if (r.ok) return { ok: true, value: { passport: r.passport, chain: r.chain } };

  const doc = input as Partial<PassportDocument>;
  const where =
    r.depth === 0
      ? `passport ${String(doc?.passport_id ?? '(no id)')}`
      : `link ${r.depth} of its issuer chain`;
  switch (r.problem) {
    case 'unknown-kid': {
      const kid = docAt(input, r.depth)?.issuer_kid;
      if (kid === undefined)
        return reject(
          CODE['unknown-kid'],
          'unknown-kid',
          `${where}: ${r.message} in trust anchors version ${o.keys.version}: update the anchors; otherwise it is forged`,
        );
      if (o.keys.isRevokedKid(kid)) {
        return reject(
          EXIT.passportRevoked,
          'revoked-authority-key',
          `${where} is signed by authority key ${kid}, which the TA revoked: everything it signed is revoked`,
        );
      }
      return reject(
        CODE['unknown-kid'],
        'unknown-kid',
        `${where} is signed by key ${kid ?? '(none)'}, which trust anchors version ${o.keys.version} do not list: update the anchors (--ta URL or --anchors-update FILE); otherwise it is forged`,
      );
    }
    case 'bad-signature':
    case 'high-s':
      return reject(
        CODE[r.problem],
        r.problem,
        `${where}: signature does not verify — the document was altered or not signed by this TA (${r.message})`,
      );
    case 'expired':
      return reject(
        CODE.expired,
        'expired',
        `${where} ${r.message}: ask its holder for a current passport`,
      );
    case 'revoked': {
      const id = docAt(input, r.depth)?.passport_id ?? '(unknown)';
      const e = revoked?.get('passport', id);
      return reject(
        CODE.revoked,
        'revoked',
        `${where}: ${id} is revoked (${e?.reason ?? 'unknown reason'}, ${e?.revoked_at ?? 'unknown time'}): do not trust it`,
      );
    }
    default:
      return reject(CODE[r.problem], r.problem, `${where}: ${r.message}`);
  }
}

/** The passport at `depth`: 0 the passport itself, n its issuer_chain[n - 1]. */
function docAt(input: unknown, depth: number): PassportDocument | undefined {
  try {
    const doc = input as PassportDocument;
    if (depth === 0) return doc;
    return JSON.parse(
      Buffer.from(doc.issuer_chain[depth - 1]!, 'base64').toString('utf8'),
    ) as PassportDocument;
  } catch {
    return undefined;
  }
}
