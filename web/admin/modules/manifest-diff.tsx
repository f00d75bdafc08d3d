// What changed between two versions of a server's manifest (src/manifests/diff.ts): tools,
// prompts and resources added, removed and changed, naming the changed fields and the tool
// hashes, so a swapped tool description ("rug pull") is plain to see. Words carry the meaning,
// the symbols and colours only repeat it.
import type { Hono } from 'hono';
import { NotFoundError } from '../../../src/errors.js';
import type { AppDeps } from '../../../src/http/deps.js';
import type { ChangedItem, ItemDiff } from '../../../src/manifests/diff.js';
import { diffVersions, listManifestVersions, type VersionDiff } from '../../../src/manifests/read.js';
import type { AdminEnv } from '../env.js';
import { renderPage } from '../render.js';
import { Id } from '../ui/format.js';
import { Table } from '../ui/table.js';
import { manifestHref } from './manifest-links.js';
import { serverHref } from './passport-table.js';
import { serverOf } from './servers.js';

interface Change {
  kind: 'added' | 'removed' | 'changed';
  key: string;
  fields: string[];
  hashes?: { from: string; to: string };
}

const SYMBOL = { added: '+', removed: '−', changed: '~' } as const;

function changesOf(d: Omit<ItemDiff, 'changed'> & { changed: Array<ChangedItem & { tool_hash?: { from: string; to: string } }> }): Change[] {
  return [
    ...d.added.map((key): Change => ({ kind: 'added', key, fields: [] })),
    ...d.removed.map((key): Change => ({ kind: 'removed', key, fields: [] })),
    ...d.changed.map((c): Change => ({ kind: 'changed', key: c.key, fields: c.fields, hashes: c.tool_hash })),
  ];
}

function ChangeTable({ caption, changes, tools }: { caption: string; changes: Change[]; tools?: boolean }) {
  return (
    <Table
      caption={caption}
      rows={changes}
      empty="No changes."
      columns={[
        { header: 'Change', cell: (x) => <span class={`diff-${x.kind}`}><span aria-hidden="true">{SYMBOL[x.kind]} </span>{x.kind}</span> },
        { header: 'Name', cell: (x) => <code>{x.key}</code> },
        { header: 'Fields changed', cell: (x) => (x.fields.length ? x.fields.join(', ') : '—') },
        ...(tools
          ? [{ header: 'tool_hash', cell: (x: Change) => (x.hashes ? <><Id value={x.hashes.from} /> → <Id value={x.hashes.to} /></> : '—') }]
          : []),
      ]}
    />
  );
}

function DiffView({ d }: { d: VersionDiff }) {
  const from = { serverName: d.server, version: d.from.version };
  const to = { serverName: d.server, version: d.to.version };
  return (
    <>
      <p>
        From <a href={manifestHref(from)}>{d.from.version}</a> (<Id value={d.from.digest} />) to <a href={manifestHref(to)}>{d.to.version}</a> (
        <Id value={d.to.digest} />). Origin {d.diff.origin_changed ? <strong>changed</strong> : 'unchanged'}.
      </p>
      <ChangeTable caption="Tools" changes={changesOf(d.diff.tools)} tools />
      <ChangeTable caption="Prompts" changes={changesOf(d.diff.prompts)} />
      <ChangeTable caption="Resources" changes={changesOf(d.diff.resources)} />
    </>
  );
}

export function manifestDiffRoute(app: Hono<AdminEnv>, deps: AppDeps): void {
  app.get('/admin/servers/:namespace/:name/diff', async (c) => {
    const server = await serverOf(deps, c.req.param());
    if (!server) throw new NotFoundError('no such server');
    const versions = await listManifestVersions(deps.persistence, server.name);
    const from = c.req.query('from')?.slice(0, 100) || versions[1]?.version;
    const to = c.req.query('to')?.slice(0, 100) || versions[0]?.version;
    const d = from && to ? await diffVersions(deps.persistence, server.name, from, to) : undefined;
    const options = versions.map((m) => m.version);
    return renderPage(c, deps, {
      title: `Changes in ${server.name}`,
      body: (
        <>
          <p>
            <a href={serverHref(server.name)}>« {server.name}</a>
          </p>
          <form class="search-form" method="get" action={`${serverHref(server.name)}/diff`}>
            {(['from', 'to'] as const).map((name) => (
              <div class="field">
                <label for={`diff-${name}`}>{name === 'from' ? 'From version' : 'To version'}</label>
                <select id={`diff-${name}`} name={name}>
                  {options.map((v) => (
                    <option value={v} selected={v === (name === 'from' ? from : to)}>
                      {v}
                    </option>
                  ))}
                </select>
              </div>
            ))}
            <div class="field field-actions">
              <button type="submit">Compare</button>
            </div>
          </form>
          {d ? <DiffView d={d} /> : <p>There is nothing to compare: this server has fewer than two versions.</p>}
        </>
      ),
    });
  });
}
