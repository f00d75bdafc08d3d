// MCP SDK guards (package export `mcps-trust-authority/mcp`): guardClient for hosts (server
// passport + pinned manifest at connect, tool-list pinning re-checked on list_changed, default-deny
// unsigned tools and typed arguments), guardServer for servers (MCPS per-message envelopes,
// replay cache, sender passport status via the feed, per-call credentials), and the envelope
// format itself, compatible with the MCPS reference's signMessage / verifyMessage.
export { guardClient, type ClientGuard, type GuardClientOptions } from './guard-client.js';
export {
  guardServer,
  createServerGuard,
  type GuardIdentity,
  type GuardServerOptions,
  type ServerGuard,
  type Connectable,
} from './guard-server.js';
export { GuardError, GUARD_JSONRPC_CODE, type GuardErrorCode } from './errors.js';
export {
  signMessage,
  verifyMessage,
  messageHash,
  signingPayload,
  readEnvelope,
  MCPS_VERSION,
  DEFAULT_WINDOW_SECONDS,
  type McpsEnvelope,
  type SignedMessage,
  type EnvelopeCheck,
  type EnvelopeProblem,
  type SignMessageOptions,
  type VerifyMessageOptions,
} from './envelope.js';
export { createReplayCache, type ReplayCache, type ReplayCacheOptions } from './replay-cache.js';
export { offlineTrust, onlineTrust, type GuardTrust, type OnlineTrust } from './trust.js';
export { passportsFromTa, type PassportSource } from './sender-passports.js';
export {
  resolveServerTrust,
  type ManifestPin,
  type ServerTrustOptions,
  type TrustedServer,
} from './server-trust.js';
export { checkCallCredential, type CheckCredentialOptions } from './call-credential.js';
export {
  compareToolSet,
  compareTool,
  changedMembers,
  PINNED_MEMBERS,
  type LiveTool,
  type ToolSetProblem,
} from './tool-definition.js';
export {
  compileArgumentContracts,
  type ArgumentContracts,
  type ArgumentCheck,
} from './argument-contract.js';
export { GuardedTransport, type TransportHooks } from './guarded-transport.js';
export { McpsStdioServerTransport } from './stdio-server-transport.js';
export {
  CALL_CREDENTIAL_TYP,
  CREDENTIAL_META_KEY,
  CREDENTIAL_REQUEST_TYP,
  MAX_CREDENTIAL_TTL_SECONDS,
  DEFAULT_CREDENTIAL_TTL_SECONDS,
} from '../credentials/call-credential.js';
export { requestCallCredential, type RequestCredentialOptions } from './credential-client.js';
