// Public surface of src/passports for clients: verify passports and key-continuity chains
// offline, sign under a delegated issuer. Nothing here imports hono or drizzle.
export {
  ISSUE_CAPABILITY,
  MAX_CHAIN_DEPTH,
  MAX_PASSPORT_BYTES,
  PASSPORT_ID_PATTERN,
  REVOCATION_REASONS,
  type PassportDocument,
  type RevocationReason,
  type SubjectType,
  type TrustLevel,
} from './passport.js';
export {
  verifyPassport,
  type PassportProblem,
  type PassportVerification,
  type VerifyPassportOptions,
} from './verify.js';
export {
  verifyKeyContinuityChain,
  type ChainVerification,
  type VerifyChainOptions,
} from './chain-verify.js';
export type { ChainLinkDocument } from './chain.js';
export {
  signDelegatedPassport,
  type DelegatedPassport,
  type SignDelegatedPassportInput,
} from './delegated.js';
export { POP_TYP, ROTATION_TYP } from './proofs.js';
export { formatUtc, parseUtc } from './times.js';
