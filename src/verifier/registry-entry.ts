// Checks what the MCP Registry API (`GET /v0.1/servers/…`) served for a version against that
// version's manifest, already verified by checkManifest: the entry names the same digest, and its
// `server` object is, member for member (JCS), the `server_json` the TA signed inside the manifest.
// A mirror or a TA that rewrote a published version's description or repository fails here.
import { canonicalJson } from '../crypto/jcs.js';
import { serverJsonDigest } from '../manifests/server-json.js';
import { EXIT, reject, type Verdict } from './exit-codes.js';
import type { VerifiedManifest } from './manifest.js';

const TRUST_META_KEY = 'dev.mcps-ta/trust';

export interface VerifiedRegistryEntry {
  /** `sha256:` + hex SHA-256 of JCS of the served `server` object. */
  serverJsonDigest: string;
}

/** Compares one served registry entry (`{server, _meta}`) with its verified manifest. Never throws. */
export function checkRegistryEntry(
  entry: unknown,
  verified: VerifiedManifest,
): Verdict<VerifiedRegistryEntry> {
  const e = entry as { server?: unknown; _meta?: Record<string, unknown> } | null;
  const trust = e?._meta?.[TRUST_META_KEY] as
    { digest?: unknown; server_json_digest?: unknown } | undefined;
  if (
    typeof e?.server !== 'object' ||
    e.server === null ||
    typeof trust !== 'object' ||
    trust === null
  ) {
    return reject(
      EXIT.registryEntryMismatch,
      'malformed',
      `not a registry entry: needs a server object and _meta["${TRUST_META_KEY}"]`,
    );
  }
  const { manifest, digest } = verified;
  const id = `${manifest.server}@${manifest.version}`;
  if (trust.digest !== digest) {
    return reject(
      EXIT.registryEntryMismatch,
      'digest',
      `the entry names manifest ${String(trust.digest)}, not the verified ${digest} of ${id}`,
    );
  }
  if (manifest.server_json === undefined) {
    return reject(
      EXIT.registryEntryMismatch,
      'unsigned-server-json',
      `${id} was published before server.json was signed: what the registry serves for it is not covered by the signature`,
    );
  }
  const served = serverJsonDigest(e.server);
  if (canonicalJson(e.server) !== canonicalJson(manifest.server_json)) {
    return reject(
      EXIT.registryEntryMismatch,
      'server-json',
      `the server.json served for ${id} (${served}) is not the one signed in its manifest (${serverJsonDigest(manifest.server_json)})`,
    );
  }
  if (trust.server_json_digest !== served) {
    return reject(
      EXIT.registryEntryMismatch,
      'server-json-digest',
      `server_json_digest ${String(trust.server_json_digest)} is not the digest ${served} of the served server.json`,
    );
  }
  return { ok: true, value: { serverJsonDigest: served } };
}
