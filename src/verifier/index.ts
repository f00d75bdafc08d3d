// The client trust kit: verify passports, manifest envelopes, key-continuity chains and trust
// anchor updates offline against local anchors, or online against a TA URL; read the signed
// revocation feed; check webhook signatures. Imports no HTTP framework and no database layer
// (test/unit/verifier/boundaries.test.ts). Package export: `mcps-trust-authority/verifier`.
export { EXIT, type ExitCode, type Verdict } from './exit-codes.js';
export { trustedKeys, type TrustedKeys } from './trusted-keys.js';
export { checkTrustedAnchors, compareServedAnchors, updateAnchors } from './anchors.js';
export {
  checkFeedPage,
  createRevocationSet,
  revocationsFromPages,
  type FeedPageCheck,
  type RevocationLookup,
  type RevocationSet,
} from './revocations.js';
export {
  checkPassport,
  passportIn,
  type CheckPassportOptions,
  type VerifiedPassport,
} from './passport.js';
export { checkManifest, type CheckManifestOptions, type VerifiedManifest } from './manifest.js';
export {
  checkCertificate,
  type CheckCertificateOptions,
  type VerifiedCertificate,
} from './certificate.js';
export { checkRegistryEntry, type VerifiedRegistryEntry } from './registry-entry.js';
export { checkKeyChain, type CheckChainOptions, type VerifiedChain } from './chain.js';
export { checkCheckpoint, checkConsistency, checkInclusion, type LogCheckpoint } from './log.js';
export {
  checkLogBundle,
  LOG_BUNDLE_VERSION,
  type ExpectedEvent,
  type LogBundle,
  type VerifiedLogInclusion,
} from './log-bundle.js';
export {
  checkCheckpointNote,
  logNoteVerifiers,
  parseNoteVerifierKey,
  type NoteVerifier,
} from './log-note.js';
export {
  fetchLogBundle,
  receiptIn,
  type FetchLogOptions,
  type LogReceiptRef,
} from './log-fetch.js';
export { syncTrust, type SyncOptions, type SyncResult, type TrustState } from './online.js';
export {
  verifyWebhookSignature,
  SIGNATURE_HEADER,
  EVENT_ID_HEADER,
  type RevocationEvent,
} from '../webhooks/event.js';
export type { AnchorsDocument } from '../keys/anchors.js';
export type { FeedEntry, RevocationFeed } from '../revocation/feed.js';
export type { PassportDocument } from '../passports/passport.js';
export type { Manifest } from '../manifests/manifest.js';
export type { ChainLinkDocument } from '../passports/chain.js';
