// Every table, for drizzle's relational API and drizzle-kit.
export { authorityKeys } from './authority-keys.js';
export { publishers } from './publishers.js';
export { apiTokens } from './api-tokens.js';
export { auditEvents } from './audit-events.js';
export { certificates } from './certificates.js';
export { crls, crlNumberSeq } from './crls.js';
