// The TA's own authority keys: kid, purpose, status, dates, and revocation with a preview of what
// it takes down (key-revoke.tsx). Private keys never leave the keyring. Prepare, activate and
// retire are API-only (POST /v1/authority/keys…).
import type { AuthorityKeyRecord } from '../../../src/keys/authority-key.js';
import type { AdminModule } from '../module.js';
import { renderPage } from '../render.js';
import { StatusBadge } from '../ui/badge.js';
import { Id, Time } from '../ui/format.js';
import { Table } from '../ui/table.js';
import { keyRevokeRoutes, revocable } from './key-revoke.js';

export function KeysTable({ keys, caption = 'Authority keys', actions = false }: { keys: AuthorityKeyRecord[]; caption?: string; actions?: boolean }) {
  return (
    <Table
      caption={caption}
      rows={keys}
      rowId={(k) => `key-${k.kid}`}
      empty="No authority keys."
      columns={[
        { header: 'Key id (kid)', cell: (k) => <Id value={k.kid} /> },
        { header: 'Purpose', cell: (k) => k.purpose },
        { header: 'Status', cell: (k) => <StatusBadge status={k.status} /> },
        { header: 'Algorithm', cell: (k) => k.algorithm },
        { header: 'Created', cell: (k) => <Time value={k.createdAt} /> },
        { header: 'Not after', cell: (k) => <Time value={k.notAfter} /> },
        ...(actions
          ? [{ header: 'Actions', cell: (k: AuthorityKeyRecord) => (revocable(k) ? <a href={`/admin/keys/${k.kid}/revoke`} class="danger">Revoke…</a> : null) }]
          : []),
      ]}
    />
  );
}

export const keysModule: AdminModule = {
  nav: { href: '/admin/keys', label: 'Authority keys' },
  finders: [
    {
      // RFC 7638 thumbprints: 43 base64url characters.
      pattern: /^[A-Za-z0-9_-]{43}$/,
      resolve: async (deps, q) => ((await deps.persistence.stores.keys.listAll()).some((k) => k.kid === q) ? `/admin/keys#key-${q}` : undefined),
    },
  ],
  register(app, deps) {
    app.get('/admin/keys', async (c) =>
      renderPage(c, deps, {
        title: 'Authority keys',
        body: (
          <>
            <p>
              Keys of this Trust Authority. Passport-signing keys are published at <a href="/v1/trust/jwks">/v1/trust/jwks</a>; the CA
              certificates at <a href="/v1/trust/ca.pem">/v1/trust/ca.pem</a>.
            </p>
            <p>
              Revoking a key first shows what the revocation would take down (a dry run), counted by kind; the active passport-signing
              key cannot be revoked until a successor is active.
            </p>
            <KeysTable keys={await deps.persistence.stores.keys.listAll()} actions />
          </>
        ),
      }),
    );
    keyRevokeRoutes(app, deps);
  },
};
