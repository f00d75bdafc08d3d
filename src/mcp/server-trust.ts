// What a host checks about an MCP server before talking to it (guardClient, at connect): the
// server's passport verifies with the trusted TA keys, is a server passport for that name, is not
// revoked and has the minimum trust level; the manifest pinned by digest or version verifies
// (DSSE signature by a TA key, tool pins, not yanked) and is the manifest of that server. Both
// come from the TA (by id, digest or version) or are given as documents (offline).
import { publicKeyFromJwk } from '../crypto/ecdsa.js';
import type { KeyObject } from 'node:crypto';
import type { SignedTool } from '../manifests/manifest.js';
import type { PassportDocument } from '../passports/passport.js';
import { checkManifest, type VerifiedManifest } from '../verifier/manifest.js';
import { checkPassport } from '../verifier/passport.js';
import { GuardError } from './errors.js';
import type { GuardTrust } from './trust.js';

export type ManifestPin =
  { digest: string } | { version: string } | { envelope: unknown; digest?: string };

export interface ServerTrustOptions {
  /** Registered server name, e.g. com.example/weather. */
  server: string;
  /** The server's passport: the document (or a {passport, status} response), or its passport_id to fetch from the TA. */
  passport: unknown;
  manifest: ManifestPin;
  /** The TA's base URL, needed when passport or manifest are fetched. */
  taUrl?: string;
  fetch?: typeof fetch;
  /** Default 3: a server with a proven origin and a signed manifest (DESIGN §5). */
  minTrustLevel?: number;
}

export interface TrustedServer {
  passport: PassportDocument;
  key: KeyObject;
  manifest: VerifiedManifest;
  tools: Map<string, SignedTool>;
}

async function getJson(o: ServerTrustOptions, path: string): Promise<unknown> {
  if (!o.taUrl)
    throw new GuardError(
      'trust-unavailable',
      `${path} must be fetched from the TA: pass taUrl, or give the document`,
    );
  const url = `${o.taUrl.replace(/\/+$/, '')}${path}`;
  let res: Response;
  try {
    res = await (o.fetch ?? fetch)(url, {
      headers: { accept: 'application/json' },
      redirect: 'error',
      signal: AbortSignal.timeout(10_000),
    });
  } catch (err) {
    throw new GuardError('trust-unavailable', `cannot reach ${url}: ${(err as Error).message}`);
  }
  if (!res.ok) throw new GuardError('trust-unavailable', `${url} answered ${res.status}`);
  return res.json();
}

/** Resolves and verifies the server's passport and pinned manifest. Throws a GuardError. */
export async function resolveServerTrust(
  o: ServerTrustOptions,
  trust: GuardTrust,
  now: Date,
): Promise<TrustedServer> {
  const passportInput =
    typeof o.passport === 'string'
      ? (
          (await getJson(o, `/v1/passports/${encodeURIComponent(o.passport)}`)) as {
            passport?: unknown;
          }
        ).passport
      : o.passport;
  const p = checkPassport(passportInput, { keys: trust.keys, revocations: trust.revocations, now });
  if (!p.ok)
    throw new GuardError(
      p.reason === 'revoked' ? 'server-passport-revoked' : 'server-passport-invalid',
      `server ${o.server}: ${p.message}`,
    );
  const passport = p.value.passport;
  if (passport.subject_type !== 'server' || passport.agent.name !== o.server) {
    throw new GuardError(
      'server-passport-mismatch',
      `passport ${passport.passport_id} is not the server passport of ${o.server}`,
    );
  }
  const min = o.minTrustLevel ?? 3;
  if (passport.trust_level < min)
    throw new GuardError(
      'server-trust-level',
      `server ${o.server} has trust level ${passport.trust_level}, below the required ${min}`,
    );

  const pin = o.manifest;
  const [namespace, name] = o.server.split('/');
  const envelopeInput =
    'envelope' in pin
      ? pin.envelope
      : 'digest' in pin
        ? await getJson(o, `/v1/manifests/${encodeURIComponent(pin.digest)}`)
        : await getJson(
            o,
            `/v1/servers/${encodeURIComponent(namespace ?? '')}/${encodeURIComponent(name ?? '')}/manifests/${encodeURIComponent(pin.version)}`,
          );
  const m = checkManifest(envelopeInput, {
    keys: trust.keys,
    revocations: trust.revocations,
    pinnedDigest: 'digest' in pin ? pin.digest : undefined,
  });
  if (!m.ok)
    throw new GuardError(
      m.reason === 'pinned-digest' ? 'manifest-mismatch' : 'manifest-invalid',
      `server ${o.server}: ${m.message}`,
    );
  const manifest = m.value.manifest;
  if (manifest.server !== o.server)
    throw new GuardError(
      'manifest-mismatch',
      `the pinned manifest is ${manifest.server}'s, not ${o.server}'s`,
    );
  if ('version' in pin && manifest.version !== pin.version)
    throw new GuardError(
      'manifest-mismatch',
      `the TA answered version ${manifest.version} for the pinned ${pin.version}`,
    );
  return {
    passport,
    key: publicKeyFromJwk(passport.public_key),
    manifest: m.value,
    tools: new Map(manifest.tools.map((t) => [t.name, t])),
  };
}
