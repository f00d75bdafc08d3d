// Manifests: every server's versions (search, state filter), a version's page (status, hash
// link, signatures, pinned tools) and yanking a version after a confirmation step — through the
// API's domain function, so the revocation row and the audit event are the API's.
import type { Hono } from 'hono';
import { z } from 'zod';
import { NotFoundError } from '../../../src/errors.js';
import type { AppDeps } from '../../../src/http/deps.js';
import { listManifests, MANIFEST_STATES } from '../../../src/manifests/list.js';
import {
  manifestOf,
  type ManifestRecord,
  type ManifestState,
} from '../../../src/manifests/manifest.js';
import {
  DIGEST_PATTERN,
  getManifest,
  getManifestByDigest,
  statusOf,
} from '../../../src/manifests/read.js';
import { REASON_MAX, yankManifest } from '../../../src/manifests/status.js';
import { decodeTimeCursor, encodeTimeCursor } from '../cursors.js';
import type { AdminContext, AdminEnv } from '../env.js';
import type { AdminModule } from '../module.js';
import { confirmAction, detailPage, listPage } from '../resource-pages.js';
import { StatusBadge } from '../ui/badge.js';
import { issueFor, TextField } from '../ui/form.js';
import { Id, Time } from '../ui/format.js';
import { Table } from '../ui/table.js';
import { manifestDiffRoute } from './manifest-diff.js';
import { diffHref, manifestHref } from './manifest-links.js';
import { serverHref } from './passport-table.js';
import { serverOf } from './servers.js';

type VersionView = ManifestRecord & { revocationSeq: number | null };

/** The version named by the `:namespace/:name/versions/:version` parameters, or undefined. */
async function versionOf(deps: AppDeps, c: AdminContext): Promise<VersionView | undefined> {
  const server = await serverOf(deps, c.req.param());
  if (!server) return undefined;
  const record = await getManifest(
    deps.persistence,
    server.name,
    c.req.param('version') ?? '',
  ).catch((err: unknown) => {
    if (err instanceof NotFoundError) return undefined;
    throw err;
  });
  if (!record || record.version !== c.req.param('version')) return undefined; // `latest` has no page of its own
  return { ...record, revocationSeq: (await statusOf(deps.persistence, record)).revocation_seq };
}

function State({ m }: { m: ManifestRecord }) {
  return (
    <>
      <StatusBadge status={m.state} />
      {m.isLatest ? (
        <>
          {' '}
          <StatusBadge status="latest" />
        </>
      ) : null}
    </>
  );
}

function ToolsTable({ m }: { m: ManifestRecord }) {
  const doc = manifestOf(m);
  return (
    <section aria-labelledby="tools-heading">
      <h2 id="tools-heading">Tools</h2>
      <Table
        caption={`Tools of ${m.serverName}@${m.version} (${doc.prompts.length} prompts, ${doc.resources.length} resources)`}
        rows={doc.tools}
        empty="No tools."
        columns={[
          { header: 'Name', cell: (t) => <code>{t.name}</code> },
          { header: 'Description', cell: (t) => t.description ?? '—' },
          { header: 'tool_hash', cell: (t) => <Id value={t.tool_hash} /> },
        ]}
      />
    </section>
  );
}

function versionRoutes(app: Hono<AdminEnv>, deps: AppDeps): void {
  const p = deps.persistence;
  app.get(
    '/admin/servers/:namespace/:name/versions/:version',
    detailPage<VersionView>(deps, {
      load: (_id, c) => versionOf(deps, c),
      title: (m) => `Manifest ${m.serverName}@${m.version}`,
      fields: (m) => {
        const doc = manifestOf(m);
        return [
          ['Server', <a href={serverHref(m.serverName)}>{m.serverName}</a>],
          ['Version', m.version],
          ['State', <State m={m} />],
          ['Reason', m.statusReason ?? '—'],
          ['State changed', <Time value={m.statusChangedAt} />],
          ['Revocation feed seq', m.revocationSeq ?? '—'],
          ['Published', <Time value={m.publishedAt} />],
          ['Digest', <Id value={m.digest} />],
          ['Origin', <code>{doc.origin}</code>],
          [
            'Previous',
            doc.previous ? (
              <>
                <a href={manifestHref({ serverName: m.serverName, version: doc.previous.version })}>
                  {doc.previous.version}
                </a>{' '}
                (<a href={diffHref(m.serverName, doc.previous.version, m.version)}>diff</a>)
              </>
            ) : (
              'none: the first version'
            ),
          ],
          [
            'Signatures (key ids)',
            <ul class="inline">
              {m.signatures.map((s) => (
                <li>
                  <Id value={s.keyid ?? '—'} />
                </li>
              ))}
            </ul>,
          ],
          ['Document', <a href={`/v1/manifests/${m.digest}`}>signed manifest (JSON)</a>],
        ];
      },
      actions: (m) =>
        m.state === 'yanked'
          ? []
          : [{ href: `${manifestHref(m)}/yank`, label: 'Yank…', danger: true }],
      sections: (m) => <ToolsTable m={m} />,
    }),
  );

  confirmAction<VersionView, { reason: string }>(app, deps, {
    path: '/admin/servers/:namespace/:name/versions/:version/yank',
    load: (_params, c) => versionOf(deps, c),
    title: (m) => `Yank ${m.serverName}@${m.version}`,
    question: (m) => (
      <>
        Yank version <strong>{m.version}</strong> of {m.serverName}? It is recorded in the
        revocation feed, is never <code>latest</code> again, and clients that pinned it see it
        marked yanked. This cannot be undone.
      </>
    ),
    details: (m) => [
      ['State', <State m={m} />],
      ['Digest', <Id value={m.digest} />],
      ['Published', <Time value={m.publishedAt} />],
    ],
    confirmLabel: 'Yank version',
    cancelHref: (m) => manifestHref(m),
    form: z.object({
      reason: z
        .string({ error: 'is required' })
        .trim()
        .min(1, 'is required')
        .max(REASON_MAX, `at most ${REASON_MAX} characters`),
    }),
    fields: (_m, values, issues) => (
      <TextField
        name="reason"
        label="Reason"
        hint="Published in the revocation feed, e.g. “tool description swapped”."
        value={values.reason}
        error={issueFor(issues, 'reason')}
        required
        maxlength={REASON_MAX}
      />
    ),
    run: async (c, m, form) => {
      await yankManifest(p, c.get('admin').principal, m.serverName, m.version, form.reason);
      return { redirect: manifestHref(m), notice: `${m.serverName}@${m.version} yanked.` };
    },
  });
}

export const manifestsModule: AdminModule = {
  nav: { href: '/admin/manifests', label: 'Manifests' },
  finders: [
    {
      pattern: DIGEST_PATTERN,
      resolve: async (deps, q) => {
        const m = await getManifestByDigest(deps.persistence, q).catch((err: unknown) => {
          if (err instanceof NotFoundError) return undefined;
          throw err;
        });
        return m ? manifestHref(m) : undefined;
      },
    },
  ],
  register(app, deps) {
    const p = deps.persistence;
    app.get(
      '/admin/manifests',
      listPage<ManifestRecord>(deps, {
        path: '/admin/manifests',
        title: 'Manifests',
        intro: <p>Published tool manifest versions of every server, newest first.</p>,
        searchLabel: 'Server name contains, or exact version or digest',
        filters: [
          {
            name: 'state',
            label: 'State',
            options: [
              { value: '', label: 'any' },
              ...MANIFEST_STATES.map((s) => ({ value: s, label: s })),
            ],
          },
        ],
        empty: 'No manifest versions match.',
        columns: [
          { header: 'Server', cell: (m) => <a href={serverHref(m.serverName)}>{m.serverName}</a> },
          { header: 'Version', cell: (m) => <a href={manifestHref(m)}>{m.version}</a> },
          { header: 'State', cell: (m) => <State m={m} /> },
          { header: 'Published', cell: (m) => <Time value={m.publishedAt} /> },
          { header: 'Digest', cell: (m) => <Id value={m.digest} /> },
        ],
        load: async (q) => {
          const after = q.cursor ? decodeTimeCursor(q.cursor) : undefined;
          const page = await listManifests(p, {
            search: q.search,
            state: (q.filters.state || undefined) as ManifestState | undefined,
            after: after && { publishedAt: after.at, digest: after.id },
            limit: q.limit,
          });
          return {
            items: page.items,
            nextCursor: page.next
              ? encodeTimeCursor(page.next.publishedAt, page.next.digest)
              : null,
          };
        },
      }),
    );
    versionRoutes(app, deps);
    manifestDiffRoute(app, deps);
  },
};
