// Namespaces: the list (search, status filter, publisher), a namespace's page with its claim,
// challenge, rival claims and servers, and an admin's approval, rejection (pending claims) or
// revocation (verified namespaces) after a confirmation step — through the API's domain
// functions, audited as admin:<username>.
import { z } from 'zod';
import type { AppDeps } from '../../../src/http/deps.js';
import { decodeCursor, encodeCursor } from '../../../src/http/pagination.js';
import { NAMESPACE_PATTERN } from '../../../src/registry/namespace-name.js';
import {
  findNamespace,
  findNamespaceClaim,
  listRivalClaims,
  listServers,
} from '../../../src/registry/read.js';
import {
  challengeUrlOf,
  NAMESPACE_STATUSES,
  type Namespace,
  type NamespaceClaim,
  type NamespaceStatus,
} from '../../../src/registry/namespace.js';
import { countPendingNamespaces, listNamespaces } from '../../../src/registry/namespace-read.js';
import { approveNamespace, rejectNamespace } from '../../../src/registry/namespace-decision.js';
import {
  NAMESPACE_REASON_MAX,
  revokeNamespace,
} from '../../../src/registry/namespace-withdrawal.js';
import type { AdminModule } from '../module.js';
import { confirmAction, detailPage, listPage } from '../resource-pages.js';
import { StatusBadge } from '../ui/badge.js';
import { issueFor, TextField } from '../ui/form.js';
import { Id, Time } from '../ui/format.js';
import { Table } from '../ui/table.js';
import { serverHref } from './passport-table.js';
import { PublisherLink } from '../ui/publisher-link.js';

const PUBLISHER_ID = /^pub_[0-9a-f]{32}$/;
export const REJECT_REASON_MAX = 500;

export function namespaceHref(namespace: string): string {
  return `/admin/namespaces/${encodeURIComponent(namespace)}`;
}

const load = (deps: AppDeps) => async (namespace: string | undefined) =>
  namespace && NAMESPACE_PATTERN.test(namespace)
    ? findNamespace(deps.persistence, namespace)
    : undefined;

export const namespacesModule: AdminModule = {
  nav: { href: '/admin/namespaces', label: 'Namespaces' },
  stats: [
    {
      label: 'Pending namespaces',
      href: '/admin/namespaces?status=pending',
      load: (deps) => countPendingNamespaces(deps.persistence),
    },
  ],
  finders: [
    {
      pattern: NAMESPACE_PATTERN,
      resolve: async (deps, q) => ((await load(deps)(q)) ? namespaceHref(q) : undefined),
    },
  ],
  register(app, deps) {
    const p = deps.persistence;
    const find = load(deps);
    app.get(
      '/admin/namespaces',
      listPage<Namespace>(deps, {
        path: '/admin/namespaces',
        title: 'Namespaces',
        searchLabel: 'Name contains',
        filters: [
          {
            name: 'status',
            label: 'Status',
            options: [
              { value: '', label: 'any' },
              ...NAMESPACE_STATUSES.map((s) => ({ value: s, label: s })),
            ],
          },
        ],
        textFilters: [
          {
            name: 'publisher',
            label: 'Publisher id',
            placeholder: 'pub_…',
            pattern: PUBLISHER_ID,
            message: 'must be a publisher id (pub_ and 32 hex digits)',
          },
        ],
        empty: 'No namespaces match.',
        rowId: (n) => `ns-${n.namespace}`,
        columns: [
          {
            header: 'Namespace',
            cell: (n) => <a href={namespaceHref(n.namespace)}>{n.namespace}</a>,
          },
          { header: 'Status', cell: (n) => <StatusBadge status={n.status} /> },
          { header: 'Verified by', cell: (n) => n.verificationMethod ?? '—' },
          { header: 'Publisher', cell: (n) => <PublisherLink deps={deps} id={n.publisherId} /> },
          { header: 'Updated', cell: (n) => <Time value={n.updatedAt} /> },
        ],
        load: async (q, c) => {
          const after = q.cursor ? decodeCursor(q.cursor, 'query.cursor') : undefined;
          const rows = await listNamespaces(p, c.get('admin').principal, {
            search: q.search,
            status: (q.filters.status || undefined) as NamespaceStatus | undefined,
            publisherId: q.filters.publisher || undefined,
            after,
            limit: q.limit + 1,
          });
          const items = rows.slice(0, q.limit);
          return {
            items,
            nextCursor:
              rows.length > q.limit ? encodeCursor(items[items.length - 1]!.namespace) : null,
          };
        },
      }),
    );

    app.get(
      '/admin/namespaces/:namespace',
      detailPage<Namespace>(deps, {
        param: 'namespace',
        load: find,
        title: (n) => `Namespace ${n.namespace}`,
        fields: (n) => [
          ['Status', <StatusBadge status={n.status} />],
          ['Publisher', <PublisherLink deps={deps} id={n.publisherId} />],
          ['Verified by', n.verificationMethod ?? '—'],
          ['Verified', <Time value={n.verifiedAt} />],
          ['Reason (rejection or revocation)', n.reason ?? '—'],
          ['Challenge URL', <code>{challengeUrlOf(n)}</code>],
          ['Challenge expires', <Time value={n.challengeExpiresAt} />],
          ['Claimed', <Time value={n.createdAt} />],
          ['Updated', <Time value={n.updatedAt} />],
        ],
        actions: (n) => [
          ...(n.status !== 'verified'
            ? [{ href: `${namespaceHref(n.namespace)}/approve`, label: 'Approve…' }]
            : []),
          ...(n.status === 'pending'
            ? [{ href: `${namespaceHref(n.namespace)}/reject`, label: 'Reject…', danger: true }]
            : []),
          ...(n.status === 'verified'
            ? [{ href: `${namespaceHref(n.namespace)}/revoke`, label: 'Revoke…', danger: true }]
            : []),
        ],
        sections: async (n) => (
          <>
            <section aria-labelledby="rivals-heading">
              <h2 id="rivals-heading">Rival claims</h2>
              <Table
                caption={`Other publishers' pending claims on ${n.namespace}`}
                rows={await listRivalClaims(p, n.namespace)}
                empty="No rival claims."
                columns={[
                  {
                    header: 'Publisher',
                    cell: (r) => <PublisherLink deps={deps} id={r.publisherId} />,
                  },
                  { header: 'Challenge URL', cell: (r) => <code>{challengeUrlOf(r)}</code> },
                  { header: 'Expires', cell: (r) => <Time value={r.challengeExpiresAt} /> },
                  {
                    header: 'Action',
                    cell: (r) =>
                      n.status === 'verified' ? (
                        '—'
                      ) : (
                        <a
                          href={`${namespaceHref(n.namespace)}/claims/${encodeURIComponent(r.publisherId)}/approve`}
                        >
                          Approve this claim…
                        </a>
                      ),
                  },
                ]}
              />
            </section>
            <section aria-labelledby="servers-heading">
              <h2 id="servers-heading">Servers</h2>
              <Table
                caption={`Servers under ${n.namespace}`}
                rows={(await listServers(p, { namespace: n.namespace, limit: 200 })).items}
                empty="No servers under this namespace."
                columns={[
                  { header: 'Server', cell: (s) => <a href={serverHref(s.name)}>{s.name}</a> },
                  { header: 'Origin', cell: (s) => <code>{s.origin}</code> },
                  { header: 'Registered', cell: (s) => <Time value={s.createdAt} /> },
                ]}
              />
            </section>
          </>
        ),
      }),
    );

    confirmAction<Namespace>(app, deps, {
      path: '/admin/namespaces/:namespace/approve',
      load: ({ namespace }) => find(namespace),
      title: (n) => `Approve namespace ${n.namespace}`,
      question: (n) => (
        <>
          Approve <strong>{n.namespace}</strong> for publisher <Id value={n.publisherId} /> without
          the HTTP challenge? The publisher can then register servers and publish manifests under
          it.
        </>
      ),
      details: (n) => [
        ['Status', <StatusBadge status={n.status} />],
        ['Challenge URL', <code>{challengeUrlOf(n)}</code>],
      ],
      confirmLabel: 'Approve namespace',
      cancelHref: (n) => namespaceHref(n.namespace),
      run: async (c, n) => {
        await approveNamespace(p, c.get('admin').principal, n.namespace);
        return {
          redirect: namespaceHref(n.namespace),
          notice: `Namespace ${n.namespace} approved.`,
        };
      },
    });

    confirmAction<{ record: Namespace; claim: NamespaceClaim }>(app, deps, {
      path: '/admin/namespaces/:namespace/claims/:publisher/approve',
      load: async ({ namespace, publisher }) => {
        const record = await find(namespace);
        const claim =
          record && publisher && PUBLISHER_ID.test(publisher)
            ? await findNamespaceClaim(p, record.namespace, publisher)
            : undefined;
        return record && claim ? { record, claim } : undefined;
      },
      title: ({ record }) => `Approve a rival claim on ${record.namespace}`,
      question: ({ record, claim }) => (
        <>
          Approve the claim of publisher <Id value={claim.publisherId} /> on{' '}
          <strong>{record.namespace}</strong> without the HTTP challenge? It takes the namespace
          over from the {record.status} claim of publisher <Id value={record.publisherId} />.
        </>
      ),
      details: ({ record, claim }) => [
        ['Status', <StatusBadge status={record.status} />],
        ['Challenge URL', <code>{challengeUrlOf(claim)}</code>],
      ],
      confirmLabel: 'Approve this claim',
      cancelHref: ({ record }) => namespaceHref(record.namespace),
      run: async (c, { record, claim }) => {
        await approveNamespace(p, c.get('admin').principal, record.namespace, {
          publisherId: claim.publisherId,
        });
        return {
          redirect: namespaceHref(record.namespace),
          notice: `Namespace ${record.namespace} approved for publisher ${claim.publisherId}.`,
        };
      },
    });

    confirmAction<Namespace, { reason: string }>(app, deps, {
      path: '/admin/namespaces/:namespace/reject',
      load: ({ namespace }) => find(namespace),
      title: (n) => `Reject namespace ${n.namespace}`,
      question: (n) => (
        <>
          Reject the claim of publisher <Id value={n.publisherId} /> on{' '}
          <strong>{n.namespace}</strong>? It can no longer register servers or publish under it, and
          another publisher may claim it.
        </>
      ),
      details: (n) => [['Status', <StatusBadge status={n.status} />]],
      confirmLabel: 'Reject namespace',
      cancelHref: (n) => namespaceHref(n.namespace),
      form: z.object({
        reason: z
          .string()
          .trim()
          .max(REJECT_REASON_MAX, `at most ${REJECT_REASON_MAX} characters`)
          .default(''),
      }),
      fields: (_n, values, issues) => (
        <TextField
          name="reason"
          label="Reason (optional)"
          hint="Shown to the publisher."
          value={values.reason}
          error={issueFor(issues, 'reason')}
          maxlength={REJECT_REASON_MAX}
        />
      ),
      run: async (c, n, form) => {
        await rejectNamespace(p, c.get('admin').principal, n.namespace, form.reason || null);
        return {
          redirect: namespaceHref(n.namespace),
          notice: `Namespace ${n.namespace} rejected.`,
        };
      },
    });

    confirmAction<Namespace, { reason: string }>(app, deps, {
      path: '/admin/namespaces/:namespace/revoke',
      load: ({ namespace }) => find(namespace),
      title: (n) => `Revoke namespace ${n.namespace}`,
      question: (n) => (
        <>
          Revoke <strong>{n.namespace}</strong> from publisher <Id value={n.publisherId} />? Its
          servers' origins are no longer proven: their server passports and certificates are revoked
          (cessationOfOperation) and nothing new is signed for them. The publisher cannot claim it
          again unless you approve it; other publishers may.
        </>
      ),
      details: (n) => [
        ['Status', <StatusBadge status={n.status} />],
        ['Verified by', n.verificationMethod ?? '—'],
      ],
      confirmLabel: 'Revoke namespace',
      cancelHref: (n) => namespaceHref(n.namespace),
      form: z.object({
        reason: z
          .string({ error: 'is required' })
          .trim()
          .min(1, 'is required')
          .max(NAMESPACE_REASON_MAX, `at most ${NAMESPACE_REASON_MAX} characters`),
      }),
      fields: (_n, values, issues) => (
        <TextField
          name="reason"
          label="Reason"
          hint="Recorded in the audit log and shown to the publisher."
          value={values.reason}
          error={issueFor(issues, 'reason')}
          maxlength={NAMESPACE_REASON_MAX}
        />
      ),
      run: async (c, n, form) => {
        const w = await revokeNamespace(
          p,
          deps.originDependents,
          c.get('admin').principal,
          n.namespace,
          form.reason,
        );
        const what = `${w.revoked.passports.length} passport(s) and ${w.revoked.certificates.length} certificate(s) revoked`;
        return {
          redirect: namespaceHref(n.namespace),
          notice: `Namespace ${n.namespace} revoked; ${what}.`,
        };
      },
    });
  },
};
