// The trust-anchor document (TUF-style, DESIGN.md §4): a versioned, expiring list of the
// passport-signing keys and CA certificates a client should trust. Version N+1 is signed by a
// key of version N as well as by its own key, so a client holding any version can walk forward
// to the newest and detect a forged, rolled-back or forked version.
import { canonicalBytes } from '../crypto/jcs.js';
import type { P256Signer } from '../crypto/signer.js';
import type { EcPublicJwk } from '../crypto/jwk.js';
import { noteVerifierKey } from '../log/checkpoint.js';
import type { AuthorityKeyRecord, OkpPublicJwk } from './authority-key.js';
import type { PublishedJwk } from './keyring.js';

export const ANCHORS_TYPE = 'mcps-trust-anchors';
/** How long a version is valid: clients refuse an expired newest version (freeze attack). */
export const ANCHORS_TTL_DAYS = 365;

export interface AnchorSignature {
  kid: string;
  /** Standard base64 of the low-S P1363 ES256 signature over JCS(document without `signatures`). */
  signature: string;
}

export interface AnchorsBody {
  type: typeof ANCHORS_TYPE;
  issuer: string;
  version: number;
  issued_at: string;
  expires_at: string;
  /** Passport-signing keys: active ones sign, retiring ones still verify. */
  keys: Array<PublishedJwk & { status: 'active' | 'retiring' }>;
  /** PEM certificates: the root and the issuing intermediate(s) still valid for verification. */
  ca_certificates: Array<{
    role: 'root' | 'intermediate';
    kid: string;
    status: 'active' | 'retiring';
    pem: string;
  }>;
  /**
   * The transparency log's Ed25519 key(s): checkpoint signed notes verify with `note_key`
   * (C2SP signed-note verifier key `<origin>+<key id>+<base64 key>`).
   */
  log_keys?: Array<{
    kid: string;
    status: 'active' | 'retiring';
    alg: 'Ed25519';
    public_jwk: OkpPublicJwk;
    note_key: string;
  }>;
  /** Keys this version stops trusting because they were revoked. */
  revoked_kids: string[];
}

export type AnchorsDocument = AnchorsBody & { signatures: AnchorSignature[] };

const DAY_MS = 86_400_000;

/** The log's origin line (and signed-note key name) for a TA named `issuer`. */
export function logOrigin(issuer: string): string {
  return `${issuer}/log`;
}

/** The body of a new version from the current key records. */
export function anchorsBody(o: {
  issuer: string;
  version: number;
  now: Date;
  keys: AuthorityKeyRecord[];
}): AnchorsBody {
  const logKeys = o.keys.filter(
    (k) => k.purpose === 'log-signing' && (k.status === 'active' || k.status === 'retiring'),
  );
  const published = (k: AuthorityKeyRecord) => k.status === 'active' || k.status === 'retiring';
  return {
    type: ANCHORS_TYPE,
    issuer: o.issuer,
    version: o.version,
    issued_at: o.now.toISOString(),
    expires_at: new Date(o.now.getTime() + ANCHORS_TTL_DAYS * DAY_MS).toISOString(),
    keys: o.keys
      .filter((k) => k.purpose === 'passport-signing' && published(k))
      .map((k) => ({
        ...(k.publicJwk as EcPublicJwk),
        kid: k.kid,
        alg: 'ES256' as const,
        use: 'sig' as const,
        status: k.status as 'active' | 'retiring',
      })),
    ca_certificates: o.keys
      .filter(
        (k) =>
          (k.purpose === 'root-ca' || k.purpose === 'issuing-ca') &&
          published(k) &&
          k.certificatePem,
      )
      .map((k) => ({
        role: k.purpose === 'root-ca' ? ('root' as const) : ('intermediate' as const),
        kid: k.kid,
        status: k.status as 'active' | 'retiring',
        pem: k.certificatePem!,
      })),
    ...(logKeys.length > 0
      ? {
          log_keys: logKeys.map((k) => {
            const jwk = k.publicJwk as OkpPublicJwk;
            return {
              kid: k.kid,
              status: k.status as 'active' | 'retiring',
              alg: 'Ed25519' as const,
              public_jwk: jwk,
              note_key: noteVerifierKey(logOrigin(o.issuer), Buffer.from(jwk.x, 'base64url')),
            };
          }),
        }
      : {}),
    revoked_kids: o.keys.filter((k) => k.status === 'revoked').map((k) => k.kid),
  };
}

/** Signs a body with every given signer (deduplicated by kid, in order). */
export function signAnchors(body: AnchorsBody, signers: P256Signer[]): AnchorsDocument {
  const bytes = canonicalBytes(body);
  const seen = new Set<string>();
  const signatures: AnchorSignature[] = [];
  for (const s of signers) {
    if (seen.has(s.kid)) continue;
    seen.add(s.kid);
    signatures.push({ kid: s.kid, signature: s.sign(bytes).toString('base64') });
  }
  return { ...body, signatures };
}
