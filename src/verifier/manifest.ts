// Verifies a signed tool manifest (DESIGN.md §6) for a client about to install or pin a server:
// the DSSE envelope signature by a trusted TA key (src/crypto/dsse.ts), the payload is the JCS of
// the manifest, every tool pin is consistent, the digest equals a pinned one, and the version is
// not yanked in the revocation feed. A tool's server-identity attestation (tool-attestation.ts)
// made by a trusted key must verify.
//
// Re-signed manifests: when a passport-signing key is revoked, the TA re-signs each version's
// envelope with its active key over the SAME payload (same digest). The per-tool `tool_signature`
// members are inside that immutable payload, so they stay the revoked key's, whose public key
// the anchors no longer publish. The envelope signature by a trusted key covers those bytes, so a
// tool_signature that verifies with no trusted key is accepted — reported as `tool_signatures:
// 'covered-by-envelope'` — provided its tool_hash matches the tool; every other check is unchanged.
import { canonicalJson } from '../crypto/jcs.js';
import { verifyEnvelopeSignature, type DsseEnvelope } from '../crypto/dsse.js';
import { verifyP256 } from '../crypto/ecdsa.js';
import { MANIFEST_PAYLOAD_TYPE, sha256Digest, type Manifest } from '../manifests/manifest.js';
import { attestationOf, verifyToolAttestation } from '../manifests/tool-attestation.js';
import { toolHash, toolHashInput } from '../manifests/tool-hash.js';
import { EXIT, reject, type Verdict } from './exit-codes.js';
import type { RevocationLookup } from './revocations.js';
import type { TrustedKeys } from './trusted-keys.js';

export interface CheckManifestOptions {
  keys: TrustedKeys;
  /** `sha256:<hex>` the client pinned for this version; checked when given. */
  pinnedDigest?: string;
  revocations?: RevocationLookup;
}

export interface VerifiedManifest {
  manifest: Manifest;
  digest: string;
  /** The trusted TA key whose signature verified. */
  kid: string;
  /**
   * `verified`: every tool_signature verifies with a trusted key. `covered-by-envelope`: some were
   * made by a key the anchors no longer trust (a re-signed manifest); the envelope covers them.
   */
  tool_signatures: 'verified' | 'covered-by-envelope';
}

/** The envelope in `input`: a bare DSSE envelope, or an API response carrying `envelope`. */
function envelopeIn(input: unknown): DsseEnvelope | undefined {
  const x = (input as { envelope?: unknown })?.envelope ?? input;
  const e = x as DsseEnvelope;
  if (
    typeof e !== 'object' ||
    e === null ||
    typeof e.payloadType !== 'string' ||
    typeof e.payload !== 'string' ||
    !Array.isArray(e.signatures)
  )
    return undefined;
  if (!e.signatures.every((s) => typeof s?.keyid === 'string' && typeof s?.sig === 'string'))
    return undefined;
  return e;
}

/** Verifies a manifest envelope. Never throws. */
export function checkManifest(input: unknown, o: CheckManifestOptions): Verdict<VerifiedManifest> {
  const envelope = envelopeIn(input);
  if (!envelope)
    return reject(
      EXIT.manifestInvalid,
      'malformed',
      'not a DSSE envelope (payloadType, payload, signatures) nor a manifest response carrying one',
    );
  if (envelope.payloadType !== MANIFEST_PAYLOAD_TYPE) {
    return reject(
      EXIT.manifestInvalid,
      'payload-type',
      `payloadType ${JSON.stringify(envelope.payloadType)} is not ${MANIFEST_PAYLOAD_TYPE}`,
    );
  }
  const bytes = Buffer.from(envelope.payload, 'base64');
  if (bytes.toString('base64') !== envelope.payload)
    return reject(EXIT.manifestInvalid, 'malformed', 'payload is not canonical standard base64');

  const signer = envelope.signatures.find((s) => {
    const key = o.keys.keyFor(s.keyid);
    return key !== undefined && verifyEnvelopeSignature(envelope, s.keyid, key);
  });
  if (!signer) {
    const revoked = envelope.signatures.find((s) => o.keys.isRevokedKid(s.keyid));
    if (revoked)
      return reject(
        EXIT.manifestSignature,
        'revoked-authority-key',
        `signed by authority key ${revoked.keyid}, which the TA revoked: do not install it`,
      );
    const known = envelope.signatures.some((s) => o.keys.keyFor(s.keyid));
    return reject(
      EXIT.manifestSignature,
      known ? 'bad-signature' : 'unknown-kid',
      known
        ? 'signature does not verify: the manifest was altered after signing — do not install it'
        : `no signature by a key of trust anchors version ${o.keys.version}: update the anchors, or the manifest is forged`,
    );
  }

  const text = bytes.toString('utf8');
  let manifest: Manifest;
  try {
    manifest = JSON.parse(text) as Manifest;
    if (canonicalJson(manifest) !== text)
      return reject(
        EXIT.manifestInvalid,
        'not-canonical',
        'payload is not the JCS (RFC 8785) form of the manifest',
      );
  } catch {
    return reject(EXIT.manifestInvalid, 'malformed', 'payload is not JSON');
  }
  if (
    manifest?.mcps_manifest_version !== '1.0' ||
    typeof manifest.server !== 'string' ||
    typeof manifest.version !== 'string' ||
    !Array.isArray(manifest.tools)
  ) {
    return reject(
      EXIT.manifestInvalid,
      'malformed',
      'payload is not an MCPS tool manifest (mcps_manifest_version 1.0, server, version, tools)',
    );
  }
  const sj = manifest.server_json as { name?: unknown; version?: unknown } | undefined;
  if (
    sj !== undefined &&
    (typeof sj !== 'object' ||
      sj === null ||
      sj.name !== manifest.server ||
      sj.version !== manifest.version)
  ) {
    return reject(
      EXIT.manifestInvalid,
      'server-json',
      "server_json does not name the manifest's server and version",
    );
  }
  const key = o.keys.keyFor(signer.keyid)!;
  const otherKeys = o.keys
    .all()
    .filter((k) => k.kid !== signer.keyid)
    .map((k) => k.key);
  let toolSignatures: VerifiedManifest['tool_signatures'] = 'verified';
  for (const tool of manifest.tools) {
    const pinned =
      typeof tool?.tool_hash === 'string' &&
      tool.tool_hash === toolHash(tool, manifest.origin ?? null);
    const wellFormed =
      pinned &&
      typeof tool.tool_signature === 'string' &&
      /^[A-Za-z0-9+/]{86}==$/.test(tool.tool_signature);
    if (!wellFormed)
      return reject(
        EXIT.manifestInvalid,
        'tool-pin',
        `tool ${JSON.stringify(tool?.name)}: tool_hash or tool_signature does not match the tool`,
      );
    // The ext-auth server-identity attestation: checked when a trusted TA key made it (a server's
    // own, or one by a key the anchors no longer list, is covered by the envelope).
    const attestation = attestationOf(tool);
    const attestedBy = attestation && o.keys.keyFor(attestation.kid);
    if (attestedBy && !verifyToolAttestation(tool, attestation, attestedBy))
      return reject(
        EXIT.manifestInvalid,
        'tool-pin',
        `tool ${JSON.stringify(tool.name)}: its _meta["io.modelcontextprotocol/server-identity"] signature does not verify`,
      );
    const bytes = toolHashInput(tool, manifest.origin ?? null);
    const sig = Buffer.from(tool.tool_signature, 'base64');
    if (verifyP256(key, bytes, sig) || otherKeys.some((k) => verifyP256(k, bytes, sig))) continue;
    toolSignatures = 'covered-by-envelope';
  }

  const digest = sha256Digest(bytes);
  const id = `${manifest.server}@${manifest.version}`;
  if (o.pinnedDigest !== undefined && o.pinnedDigest !== digest) {
    return reject(
      EXIT.manifestPinMismatch,
      'pinned-digest',
      `${id} has digest ${digest}, not the pinned ${o.pinnedDigest}: its content changed — review it before trusting the new tools`,
    );
  }
  const yank = o.revocations?.get('manifest', digest);
  if (yank)
    return reject(
      EXIT.manifestYanked,
      'yanked',
      `${id} was yanked by its publisher (${yank.reason}, ${yank.revoked_at}): do not install it`,
    );
  return {
    ok: true,
    value: { manifest, digest, kid: signer.keyid, tool_signatures: toolSignatures },
  };
}
