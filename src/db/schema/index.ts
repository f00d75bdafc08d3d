// Every table, for drizzle's relational API and drizzle-kit.
export { authorityKeys } from './authority-keys.js';
export { publishers } from './publishers.js';
export { apiTokens } from './api-tokens.js';
export { auditEvents } from './audit-events.js';
export { trustAnchors } from './trust-anchors.js';
export { agents } from './agents.js';
export { passports, passportChallenges, passportChainLinks } from './passports.js';
export { namespaces, namespaceClaims } from './namespaces.js';
export { servers } from './servers.js';
export { manifests } from './manifests.js';
export { revocations } from './revocations.js';
export { adminUsers } from './admin-users.js';
export { adminSessions } from './admin-sessions.js';
export { signInFailures } from './sign-in-failures.js';
export { certificates } from './certificates.js';
export { crls, crlNumberSeq } from './crls.js';
export { webhookSubscriptions, webhookDeliveries } from './webhooks.js';
export { logTreeNodes, logCheckpoints } from './log.js';
