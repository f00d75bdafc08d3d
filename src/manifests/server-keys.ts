// The optional second signature of a manifest, by the server's own passport key. The server signs
// what it can know before publishing — the manifest content (manifest.ts `contentOf`) — as
// DSSE PAE(MANIFEST_CONTENT_PAYLOAD_TYPE, JCS(content)); the TA checks it at publish time and
// keeps it inside the manifest, where the TA's envelope signature covers it.
import { verifyP256, publicKeyFromJwk } from '../crypto/ecdsa.js';
import { pae } from '../crypto/dsse.js';
import type { EcPublicJwk } from '../crypto/jwk.js';

export const MANIFEST_CONTENT_PAYLOAD_TYPE = 'application/vnd.mcps.manifest-content+json';

/**
 * Where the public key of a server's active passport comes from (the passports feature:
 * src/wiring/manifests-to-passports.ts).
 */
export interface ServerKeyDirectory {
  /** The P-256 public key of the server's active passport, or undefined when it has none. */
  activeServerKey(serverName: string): Promise<EcPublicJwk | undefined>;
}

/** A directory over a fixed map (tests, and tools that pin keys by hand). */
export function inMemoryServerKeys(keys: Record<string, EcPublicJwk>): ServerKeyDirectory {
  return { activeServerKey: async (name) => keys[name] };
}

/** True when `signature` (standard base64, 64-byte low-S P1363) signs the content bytes with `jwk`. */
export function verifyServerSignature(
  contentBytes: Uint8Array,
  signature: string,
  jwk: EcPublicJwk,
): boolean {
  if (!/^[A-Za-z0-9+/]{86}==$/.test(signature)) return false;
  let key;
  try {
    key = publicKeyFromJwk(jwk);
  } catch {
    return false;
  }
  return verifyP256(
    key,
    pae(MANIFEST_CONTENT_PAYLOAD_TYPE, contentBytes),
    Buffer.from(signature, 'base64'),
  );
}
