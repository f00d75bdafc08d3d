// Servers: the list (search, publisher and namespace filters) and a server's page with its
// manifest versions (state, latest, diff links, yank) and its passports; "find" by server name.
import type { Hono } from 'hono';
import { NotFoundError } from '../../../src/errors.js';
import type { AppDeps } from '../../../src/http/deps.js';
import { decodeCursor, encodeCursor } from '../../../src/http/pagination.js';
import type { ManifestRecord } from '../../../src/manifests/manifest.js';
import { listSubjectPassports } from '../../../src/passports/list.js';
import { listManifestVersions } from '../../../src/manifests/read.js';
import { NAMESPACE_PATTERN, parseServerName } from '../../../src/registry/namespace-name.js';
import {
  countServers,
  isServerOriginInNamespace,
  listServers,
} from '../../../src/registry/read.js';
import { getServer, type Server } from '../../../src/registry/server.js';
import type { AdminContext, AdminEnv } from '../env.js';
import { STAT_ORDER, type AdminModule } from '../module.js';
import { detailPage, listPage } from '../resource-pages.js';
import { StatusBadge } from '../ui/badge.js';
import { Id, Time } from '../ui/format.js';
import { CsrfField } from '../ui/form.js';
import { Table } from '../ui/table.js';
import { diffHref, manifestHref } from './manifest-links.js';
import { namespaceHref } from './namespaces.js';
import { PassportTable, serverHref } from './passport-table.js';
import { PublisherLink } from '../ui/publisher-link.js';

const PUBLISHER_ID = /^pub_[0-9a-f]{32}$/;

/** The server named by the `:namespace/:name` route parameters, or undefined. */
export async function serverOf(
  deps: AppDeps,
  params: Record<string, string | undefined>,
): Promise<Server | undefined> {
  const name = `${params.namespace ?? ''}/${params.name ?? ''}`;
  if (typeof parseServerName(name) === 'string') return undefined;
  return getServer(deps.persistence, name).catch((err: unknown) => {
    if (err instanceof NotFoundError) return undefined;
    throw err;
  });
}

/**
 * Takedown in one click (issue 17): posts the yank form with reason `malicious` directly — shown
 * on /v0.1 as status `deleted` with that statusMessage, in the feed and to webhooks.
 */
function TakedownButton({ server, m, csrf }: { server: Server; m: ManifestRecord; csrf: string }) {
  return (
    <form method="post" action={`${manifestHref(m)}/yank`} class="inline">
      <CsrfField token={csrf} />
      <input type="hidden" name="reason" value="malicious" />
      <button
        type="submit"
        class="danger"
        aria-label={`Take down ${server.name}@${m.version} as malicious`}
      >
        Take down (malicious)
      </button>
    </form>
  );
}

function VersionsTable({
  server,
  versions,
  csrf,
}: {
  server: Server;
  versions: ManifestRecord[];
  csrf: string;
}) {
  return (
    <Table
      caption={`Manifest versions of ${server.name}, highest first`}
      rows={versions}
      rowId={(m) => `v-${m.version}`}
      empty="No manifest published yet."
      columns={[
        { header: 'Version', cell: (m) => <a href={manifestHref(m)}>{m.version}</a> },
        {
          header: 'State',
          cell: (m) => (
            <>
              <StatusBadge status={m.state} />
              {m.isLatest ? (
                <>
                  {' '}
                  <StatusBadge status="latest" />
                </>
              ) : null}
            </>
          ),
        },
        { header: 'Published', cell: (m) => <Time value={m.publishedAt} /> },
        { header: 'Digest', cell: (m) => <Id value={m.digest} /> },
        {
          header: 'Changes',
          cell: (m) => {
            const lower = versions[versions.indexOf(m) + 1];
            return lower ? (
              <a
                href={diffHref(server.name, lower.version, m.version)}
                aria-label={`Changes from ${lower.version} to ${m.version}`}
              >
                diff from {lower.version}
              </a>
            ) : (
              '—'
            );
          },
        },
        {
          header: 'Actions',
          cell: (m) =>
            m.state === 'yanked' ? (
              '—'
            ) : (
              <>
                <a href={`${manifestHref(m)}/yank`} aria-label={`Yank ${server.name}@${m.version}`}>
                  Yank…
                </a>{' '}
                <TakedownButton server={server} m={m} csrf={csrf} />
              </>
            ),
        },
      ]}
    />
  );
}

async function ServerSections({
  deps,
  server,
  csrf,
}: {
  deps: AppDeps;
  server: Server;
  csrf: string;
}) {
  const p = deps.persistence;
  const [versions, passports] = await Promise.all([
    listManifestVersions(p, server.name),
    listSubjectPassports(p, 'server', server.name, 50),
  ]);
  return (
    <>
      <section aria-labelledby="versions-heading">
        <h2 id="versions-heading">Manifest versions</h2>
        <VersionsTable server={server} versions={versions} csrf={csrf} />
      </section>
      <section aria-labelledby="passports-heading">
        <h2 id="passports-heading">Passports</h2>
        <PassportTable
          rows={passports}
          clock={p.clock}
          caption={`Passports of ${server.name}, newest first`}
          empty="This server has no passports."
        />
      </section>
    </>
  );
}

function serverRoutes(app: Hono<AdminEnv>, deps: AppDeps): void {
  const p = deps.persistence;
  app.get(
    '/admin/servers',
    listPage<Server>(deps, {
      path: '/admin/servers',
      title: 'Servers',
      searchLabel: 'Name contains',
      textFilters: [
        {
          name: 'namespace',
          label: 'Namespace',
          placeholder: 'com.example',
          pattern: NAMESPACE_PATTERN,
          message: 'must be a reverse-DNS namespace such as com.example',
        },
        {
          name: 'publisher',
          label: 'Publisher id',
          placeholder: 'pub_…',
          pattern: PUBLISHER_ID,
          message: 'must be a publisher id (pub_ and 32 hex digits)',
        },
      ],
      empty: 'No servers match.',
      columns: [
        { header: 'Server', cell: (s) => <a href={serverHref(s.name)}>{s.name}</a> },
        { header: 'Origin', cell: (s) => <code>{s.origin}</code> },
        { header: 'Description', cell: (s) => s.description },
        { header: 'Publisher', cell: (s) => <PublisherLink deps={deps} id={s.publisherId} /> },
        { header: 'Registered', cell: (s) => <Time value={s.createdAt} /> },
      ],
      load: async (q) => {
        const after = q.cursor ? decodeCursor(q.cursor, 'query.cursor') : undefined;
        const page = await listServers(p, {
          search: q.search,
          namespace: q.filters.namespace || undefined,
          publisherId: q.filters.publisher || undefined,
          after,
          limit: q.limit,
        });
        return {
          items: page.items,
          nextCursor: page.next === null ? null : encodeCursor(page.next),
        };
      },
    }),
  );

  app.get(
    '/admin/servers/:namespace/:name',
    detailPage<Server & { originVerified: boolean }>(deps, {
      load: async (_id, c: AdminContext) => {
        const server = await serverOf(deps, c.req.param());
        if (!server) return undefined;
        return { ...server, originVerified: await isServerOriginInNamespace(p, server) };
      },
      title: (s) => `Server ${s.name}`,
      fields: (s) => [
        ['Name', <Id value={s.name} />],
        ['Namespace', <a href={namespaceHref(s.namespace)}>{s.namespace}</a>],
        ['Publisher', <PublisherLink deps={deps} id={s.publisherId} />],
        ['Origin', <code>{s.origin}</code>],
        [
          'Origin verified',
          s.originVerified ? (
            <StatusBadge status="verified" label="yes (namespace verified by this publisher)" />
          ) : (
            <StatusBadge status="pending" label="no" />
          ),
        ],
        ['Description', s.description],
        ['Repository', s.repository ? <code>{s.repository.url}</code> : '—'],
        ['Registered', <Time value={s.createdAt} />],
        ['Updated', <Time value={s.updatedAt} />],
      ],
      sections: (s, c) => (
        <ServerSections deps={deps} server={s} csrf={c.get('admin').session.csrfToken} />
      ),
    }),
  );
}

export const serversModule: AdminModule = {
  nav: { href: '/admin/servers', label: 'Servers' },
  stats: [
    {
      label: 'Servers',
      href: '/admin/servers',
      order: STAT_ORDER.servers,
      load: (deps) => countServers(deps.persistence),
    },
  ],
  finders: [
    {
      pattern: /^[^\s/]{1,253}\/[^\s/]{1,200}$/,
      resolve: async (deps, q) =>
        (await serverOf(deps, { namespace: q.split('/')[0], name: q.split('/')[1] }))
          ? serverHref(q)
          : undefined,
    },
  ],
  register: serverRoutes,
};
