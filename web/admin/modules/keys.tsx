// The TA's own authority keys: kid, purpose, status, dates, and the rotation steps — prepare,
// activate, retire (key-lifecycle.tsx) and revoke with a preview of what it takes down
// (key-revoke.tsx) — next to the key-compromise runbook. Private keys never leave the keyring.
import type { AuthorityKeyRecord } from '../../../src/keys/authority-key.js';
import { findAuthorityKey, listAuthorityKeys } from '../../../src/keys/list.js';
import type { AdminModule } from '../module.js';
import { renderPage } from '../render.js';
import { Actions } from '../resource-pages.js';
import { StatusBadge } from '../ui/badge.js';
import { Id, Time } from '../ui/format.js';
import { Table } from '../ui/table.js';
import { activatable, keyLifecycleRoutes, retirable } from './key-lifecycle.js';
import { keyRevokeRoutes, revocable } from './key-revoke.js';

/** Where the admin UI points for the key-compromise procedure (its summary on the keys page). */
export const RUNBOOK_HREF = '/admin/keys#runbook';

function KeyActions({ k }: { k: AuthorityKeyRecord }) {
  const links = [
    activatable(k) ? (
      <a href={`/admin/keys/${k.kid}/activate`} aria-label={`Activate key ${k.kid}`}>
        Activate…
      </a>
    ) : null,
    retirable(k) ? (
      <a href={`/admin/keys/${k.kid}/retire`} aria-label={`Retire key ${k.kid}`}>
        Retire…
      </a>
    ) : null,
    revocable(k) ? (
      <a href={`/admin/keys/${k.kid}/revoke`} class="danger" aria-label={`Revoke key ${k.kid}`}>
        Revoke…
      </a>
    ) : null,
  ].filter(Boolean);
  return links.length ? (
    <ul class="inline">
      {links.map((l) => (
        <li>{l}</li>
      ))}
    </ul>
  ) : (
    <span class="muted">—</span>
  );
}

export function KeysTable({
  keys,
  caption = 'Authority keys',
  actions = false,
}: {
  keys: AuthorityKeyRecord[];
  caption?: string;
  actions?: boolean;
}) {
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
          ? [{ header: 'Actions', cell: (k: AuthorityKeyRecord) => <KeyActions k={k} /> }]
          : []),
      ]}
    />
  );
}

/** The steps of README.md § "Key compromise" (#key-compromise), as the UI performs them. */
function Runbook() {
  return (
    <section aria-labelledby="runbook" class="runbook">
      <h2 id="runbook">Key-compromise runbook</h2>
      <p>
        The steps of the README's <em>Key compromise</em> section (
        <code>README.md#key-compromise</code>), in this UI:
      </p>
      <ol>
        <li>
          <a href="/admin/keys/prepare">Prepare a new key</a> of the compromised key's purpose
          (state pending; nothing is published).
        </li>
        <li>
          <strong>Activate</strong> it: it signs from now on, the compromised key becomes retiring,
          and a new trust-anchor version is published. The active key cannot be revoked directly.
        </li>
        <li>
          <strong>Revoke…</strong> the compromised key: the page first shows the dry run —
          passports, certificates and issuing CAs that would be revoked and manifests that would be
          re-signed — then you choose the reason (keyCompromise) and confirm.
        </li>
        <li>
          Holders re-issue passports and certificates through the normal flow; clients refresh their
          trust anchors.
        </li>
      </ol>
    </section>
  );
}

export const keysModule: AdminModule = {
  nav: { href: '/admin/keys', label: 'Authority keys' },
  finders: [
    {
      // RFC 7638 thumbprints: 43 base64url characters.
      pattern: /^[A-Za-z0-9_-]{43}$/,
      resolve: async (deps, q) =>
        (await findAuthorityKey(deps.persistence, q)) ? `/admin/keys#key-${q}` : undefined,
    },
  ],
  register(app, deps) {
    app.get('/admin/keys', async (c) =>
      renderPage(c, deps, {
        title: 'Authority keys',
        body: (
          <>
            <p>
              Keys of this Trust Authority. Passport-signing keys are published at{' '}
              <a href="/v1/trust/jwks">/v1/trust/jwks</a>; the CA certificates at{' '}
              <a href="/v1/trust/ca.pem">/v1/trust/ca.pem</a>. A key compromise? Follow the{' '}
              <a href={RUNBOOK_HREF}>key-compromise runbook</a>.
            </p>
            <Actions actions={[{ href: '/admin/keys/prepare', label: 'Prepare a new key…' }]} />
            <KeysTable keys={await listAuthorityKeys(deps.persistence)} actions />
            <Runbook />
          </>
        ),
      }),
    );
    keyLifecycleRoutes(app, deps);
    keyRevokeRoutes(app, deps);
  },
};
