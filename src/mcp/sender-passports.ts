// The passports of message senders, for guardServer: fetched once per passport_id (from the TA or
// a local directory), verified offline with the trusted keys, and cached; their status (revoked,
// superseded, expired) is checked on every message from the feed and the clock, which is cheap.
import type { KeyObject } from 'node:crypto';
import { publicKeyFromJwk } from '../crypto/ecdsa.js';
import { jwkThumbprint } from '../crypto/jwk.js';
import type { PassportDocument } from '../passports/passport.js';
import { checkPassport } from '../verifier/passport.js';
import { GuardError } from './errors.js';
import type { GuardTrust } from './trust.js';

/** Returns the passport document (or a `{passport, status}` API response) of an id, or undefined. */
export type PassportSource = (passportId: string) => Promise<unknown>;

export interface SenderPassport {
  passport: PassportDocument;
  key: KeyObject;
  /** RFC 7638 thumbprint of its key. */
  jkt: string;
  expiresAtMs: number;
}

/** A source reading GET {taUrl}/v1/passports/{id}. */
export function passportsFromTa(
  taUrl: string,
  o: { fetch?: typeof fetch; timeoutMs?: number } = {},
): PassportSource {
  const base = taUrl.replace(/\/+$/, '');
  return async (id) => {
    const res = await (o.fetch ?? fetch)(`${base}/v1/passports/${id}`, {
      headers: { accept: 'application/json' },
      redirect: 'error',
      signal: AbortSignal.timeout(o.timeoutMs ?? 10_000),
    });
    if (res.status === 404) return undefined;
    if (!res.ok) throw new Error(`${base}/v1/passports/${id} answered ${res.status}`);
    // GET /v1/passports/{id} answers {passport, status, passport_id, …}: the document is `passport`.
    const body = (await res.json()) as { passport?: unknown };
    return body.passport ?? body;
  };
}

export interface SenderPassports {
  /** The verified passport of `passportId`, current at `now`, or a GuardError. */
  get(passportId: string, now: Date): Promise<SenderPassport>;
}

export function createSenderPassports(o: {
  source: PassportSource;
  trust: () => GuardTrust;
  minTrustLevel: number;
  maxEntries?: number;
}): SenderPassports {
  const cache = new Map<string, SenderPassport>();
  const maxEntries = o.maxEntries ?? 10_000;
  const statusCheck = (p: SenderPassport, id: string, now: Date): SenderPassport => {
    const revoked = o.trust().revocations?.get('passport', id);
    if (revoked)
      throw new GuardError(
        'sender-passport-revoked',
        `passport ${id} is revoked (${revoked.reason}, ${revoked.revoked_at})`,
      );
    if (p.expiresAtMs <= now.getTime())
      throw new GuardError('sender-passport-invalid', `passport ${id} has expired`);
    return p;
  };
  return {
    get: async (id, now) => {
      const cached = cache.get(id);
      if (cached) return statusCheck(cached, id, now);
      let doc: unknown;
      try {
        doc = await o.source(id);
      } catch (err) {
        throw new GuardError(
          'sender-passport-invalid',
          `cannot obtain passport ${id}: ${(err as Error).message}`,
        );
      }
      if (doc === undefined)
        throw new GuardError('sender-passport-invalid', `unknown passport ${id}`);
      const trust = o.trust();
      const v = checkPassport(doc, { keys: trust.keys, revocations: trust.revocations, now });
      if (!v.ok)
        throw new GuardError(
          v.reason === 'revoked' ? 'sender-passport-revoked' : 'sender-passport-invalid',
          v.message,
        );
      const passport = v.value.passport;
      if (passport.passport_id !== id)
        throw new GuardError(
          'sender-passport-invalid',
          `the source answered passport ${passport.passport_id} for ${id}`,
        );
      if (passport.trust_level < o.minTrustLevel)
        throw new GuardError(
          'sender-trust-level',
          `passport ${id} has trust level ${passport.trust_level}, below the required ${o.minTrustLevel}`,
        );
      const entry: SenderPassport = {
        passport,
        key: publicKeyFromJwk(passport.public_key),
        jkt: jwkThumbprint(passport.public_key),
        expiresAtMs: Date.parse(passport.expires_at),
      };
      if (cache.size >= maxEntries) cache.delete(cache.keys().next().value!);
      cache.set(id, entry);
      return statusCheck(entry, id, now);
    },
  };
}
