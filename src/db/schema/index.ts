// Every table, for drizzle's relational API and drizzle-kit.
export { authorityKeys } from './authority-keys.js';
export { publishers } from './publishers.js';
export { apiTokens } from './api-tokens.js';
export { auditEvents } from './audit-events.js';
export { adminUsers } from './admin-users.js';
export { adminSessions } from './admin-sessions.js';
export { signInFailures } from './sign-in-failures.js';
