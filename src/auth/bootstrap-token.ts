// TA_ADMIN_TOKEN: an operator-chosen string that is a valid admin token, stored hashed like any
// other. Its row id is derived from the value, so changing the setting makes a new token and
// revokes the previous bootstrap token; a bootstrap token revoked through the API stays revoked.
import { appendAuditEvent } from '../audit/append.js';
import { hashTokenSecret } from '../crypto/secret-token.js';
import type { Persistence } from '../stores.js';
import type { ApiToken } from './api-token.js';
import { bootstrapTokenId } from './authenticate.js';

export const BOOTSTRAP_LABEL = 'bootstrap (TA_ADMIN_TOKEN)';

export type BootstrapOutcome = 'created' | 'unchanged' | 'revoked-by-admin' | 'none';

/** Makes the stored bootstrap admin token match the setting (or revokes it when unset). */
export async function syncBootstrapToken(
  p: Persistence,
  value: string | undefined,
): Promise<BootstrapOutcome> {
  return p.transact(async (s) => {
    await s.locks.acquire('bootstrap-token');
    const currentId = value ? bootstrapTokenId(value) : undefined;
    const admins = await s.tokens.listByPublisher(null);
    let outcome: BootstrapOutcome = value ? 'created' : 'none';
    for (const t of admins.filter((t) => t.label === BOOTSTRAP_LABEL)) {
      if (t.id === currentId) {
        outcome = t.revokedAt ? 'revoked-by-admin' : 'unchanged';
        continue;
      }
      if (t.revokedAt) continue;
      const at = p.clock.now();
      await s.tokens.markRevoked(t.id, at);
      await appendAuditEvent(s, p.clock, {
        actor: 'system',
        action: 'token.revoked',
        subject: `token:${t.id}`,
        data: { role: 'admin', publisher_id: null, why: 'TA_ADMIN_TOKEN changed or unset' },
      });
    }
    if (value && currentId && outcome === 'created') {
      const token: ApiToken = {
        id: currentId,
        role: 'admin',
        publisherId: null,
        label: BOOTSTRAP_LABEL,
        secretHash: hashTokenSecret(value),
        createdAt: p.clock.now(),
        expiresAt: null,
        revokedAt: null,
      };
      await s.tokens.insert(token);
      await appendAuditEvent(s, p.clock, {
        actor: 'system',
        action: 'token.created',
        subject: `token:${token.id}`,
        data: { role: 'admin', publisher_id: null, label: BOOTSTRAP_LABEL },
      });
    }
    return outcome;
  });
}
