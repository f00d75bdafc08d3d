// MCPS per-message envelopes (draft-sharif-mcps-secure-mcp, as the reference `signMessage` /
// `verifyMessage` apply it): a JSON-RPC message gains a top-level `mcps` member
//   {version: "1.0", passport_id, timestamp, nonce (32 lowercase hex), signature}
// where message_hash = hex SHA-256 of JCS(message without `mcps`) and `signature` = standard
// base64 (padded) of the low-S P1363 ES256 signature over the UTF-8 bytes of
// JCS({message_hash, nonce, passport_id, timestamp}). The envelope version is not signed.
import { createHash, randomBytes, type KeyObject } from 'node:crypto';
import { signP256, verifyP256, isLowS } from '../crypto/ecdsa.js';
import { canonicalBytes } from '../crypto/jcs.js';

export const MCPS_VERSION = '1.0';
/** How far a timestamp may be from the verifier's clock, either way (the draft's window). */
export const DEFAULT_WINDOW_SECONDS = 300;

const NONCE = /^[0-9a-f]{32}$/;
const PASSPORT_ID = /^asp_[0-9a-f]{32}$/;
const SIGNATURE = /^[A-Za-z0-9+/]{86}==$/;
// RFC 3339 UTC, with or without fractional seconds (DESIGN.md §5).
const UTC_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

export interface McpsEnvelope {
  version: string;
  passport_id: string;
  timestamp: string;
  nonce: string;
  signature: string;
}

export type JsonRpcObject = Record<string, unknown>;
export type SignedMessage<M extends JsonRpcObject = JsonRpcObject> = M & { mcps: McpsEnvelope };

/** Hex SHA-256 of JCS of the message without its `mcps` member. */
export function messageHash(message: JsonRpcObject): string {
  const { mcps: _ignored, ...rest } = message;
  return createHash('sha256').update(canonicalBytes(rest)).digest('hex');
}

/** The bytes the envelope signature covers. */
export function signingPayload(f: {
  message_hash: string;
  nonce: string;
  passport_id: string;
  timestamp: string;
}): Buffer {
  return canonicalBytes({
    message_hash: f.message_hash,
    nonce: f.nonce,
    passport_id: f.passport_id,
    timestamp: f.timestamp,
  });
}

export interface SignMessageOptions {
  passportId: string;
  privateKey: KeyObject;
  /** Default: now. */
  now?: Date;
  /** Default: 16 random bytes, hex. Only tests pass one. */
  nonce?: string;
}

/** Returns `message` with an `mcps` envelope (any previous one replaced). */
export function signMessage<M extends JsonRpcObject>(
  message: M,
  o: SignMessageOptions,
): SignedMessage<M> {
  const { mcps: _old, ...body } = message;
  const nonce = o.nonce ?? randomBytes(16).toString('hex');
  const timestamp = (o.now ?? new Date()).toISOString();
  const fields = { message_hash: messageHash(body), nonce, passport_id: o.passportId, timestamp };
  const signature = signP256(o.privateKey, signingPayload(fields)).toString('base64');
  return {
    ...(body as M),
    mcps: { version: MCPS_VERSION, passport_id: o.passportId, timestamp, nonce, signature },
  };
}

export type EnvelopeProblem =
  'unsigned' | 'malformed' | 'bad-signature' | 'high-s' | 'stale' | 'future';

export type EnvelopeCheck =
  | { ok: true; envelope: McpsEnvelope; message: JsonRpcObject; timestampMs: number }
  | { ok: false; problem: EnvelopeProblem; message: string };

/** Reads the `mcps` member of a message without checking the signature. Never throws. */
export function readEnvelope(
  message: JsonRpcObject,
):
  | { ok: true; envelope: McpsEnvelope; timestampMs: number }
  | { ok: false; problem: 'unsigned' | 'malformed'; message: string } {
  const e = message.mcps as Partial<McpsEnvelope> | undefined;
  if (e === undefined)
    return { ok: false, problem: 'unsigned', message: 'the message carries no mcps envelope' };
  if (typeof e !== 'object' || e === null || Array.isArray(e))
    return { ok: false, problem: 'malformed', message: 'mcps must be an object' };
  if (e.version !== MCPS_VERSION)
    return { ok: false, problem: 'malformed', message: `mcps.version must be "${MCPS_VERSION}"` };
  if (typeof e.passport_id !== 'string' || !PASSPORT_ID.test(e.passport_id))
    return {
      ok: false,
      problem: 'malformed',
      message: 'mcps.passport_id must be asp_ + 32 lowercase hex',
    };
  if (typeof e.nonce !== 'string' || !NONCE.test(e.nonce))
    return {
      ok: false,
      problem: 'malformed',
      message: 'mcps.nonce must be 32 lowercase hex characters',
    };
  if (typeof e.signature !== 'string' || !SIGNATURE.test(e.signature))
    return {
      ok: false,
      problem: 'malformed',
      message: 'mcps.signature must be standard base64 of 64 bytes',
    };
  const t =
    typeof e.timestamp === 'string' && UTC_TIME.test(e.timestamp) ? Date.parse(e.timestamp) : NaN;
  if (!Number.isFinite(t))
    return {
      ok: false,
      problem: 'malformed',
      message: 'mcps.timestamp must be an RFC 3339 UTC time',
    };
  return { ok: true, envelope: e as McpsEnvelope, timestampMs: t };
}

export interface VerifyMessageOptions {
  /** The sender's public key (its passport's `public_key`). */
  publicKey: KeyObject;
  /** Default: now. */
  now?: Date;
  /** Default 300 s either way. */
  windowSeconds?: number;
}

/**
 * Verifies the envelope of `message` with the sender's key: well-formed, timestamp within the
 * window, low-S signature over the signing payload. Replay (nonce reuse) is the caller's
 * replay cache's job. Returns the message without `mcps`. Never throws.
 */
export function verifyMessage(message: JsonRpcObject, o: VerifyMessageOptions): EnvelopeCheck {
  const r = readEnvelope(message);
  if (!r.ok) return r;
  const { envelope } = r;
  const now = (o.now ?? new Date()).getTime();
  const windowMs = (o.windowSeconds ?? DEFAULT_WINDOW_SECONDS) * 1000;
  if (r.timestampMs < now - windowMs)
    return {
      ok: false,
      problem: 'stale',
      message: `mcps.timestamp ${envelope.timestamp} is more than ${windowMs / 1000} s old`,
    };
  if (r.timestampMs > now + windowMs)
    return {
      ok: false,
      problem: 'future',
      message: `mcps.timestamp ${envelope.timestamp} is more than ${windowMs / 1000} s ahead`,
    };
  const { mcps: _e, ...body } = message;
  const signature = Buffer.from(envelope.signature, 'base64');
  if (!isLowS(signature))
    return {
      ok: false,
      problem: 'high-s',
      message: 'mcps.signature is high-S (malleable form): refused',
    };
  const payload = signingPayload({
    message_hash: messageHash(body),
    nonce: envelope.nonce,
    passport_id: envelope.passport_id,
    timestamp: envelope.timestamp,
  });
  if (!verifyP256(o.publicKey, payload, signature))
    return {
      ok: false,
      problem: 'bad-signature',
      message:
        "mcps.signature does not verify with the sender passport's key: the message was altered or signed by another key",
    };
  return { ok: true, envelope, message: body, timestampMs: r.timestampMs };
}
