// What changed between two versions of a server's manifest (src/manifests/diff.ts): tools,
// prompts and resources added, removed and changed, naming the changed fields and the tool
// hashes, so a swapped tool description ("rug pull") is plain to see; below the tables, each changed
// field's old and new text as a word-level diff (<del>/<ins>: struck through / underlined and
// bracketed by the stylesheet, announced by screen readers). Words carry the meaning, the symbols
// and colours only repeat it.
import type { Hono } from 'hono';
import { NotFoundError } from '../../../src/errors.js';
import type { AppDeps } from '../../../src/http/deps.js';
import type { ChangedItem, ItemDiff } from '../../../src/manifests/diff.js';
import type { FieldChange } from '../../../src/manifests/field-diff.js';
import {
  diffVersions,
  listManifestVersions,
  type VersionDiff,
} from '../../../src/manifests/read.js';
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

function changesOf(
  d: Omit<ItemDiff, 'changed'> & {
    changed: Array<ChangedItem & { tool_hash?: { from: string; to: string } }>;
  },
): Change[] {
  return [
    ...d.added.map((key): Change => ({ kind: 'added', key, fields: [] })),
    ...d.removed.map((key): Change => ({ kind: 'removed', key, fields: [] })),
    ...d.changed.map((c): Change => ({
      kind: 'changed',
      key: c.key,
      fields: c.fields,
      hashes: c.tool_hash,
    })),
  ];
}

function ChangeTable({
  caption,
  changes,
  tools,
}: {
  caption: string;
  changes: Change[];
  tools?: boolean;
}) {
  return (
    <Table
      caption={caption}
      rows={changes}
      empty="No changes."
      columns={[
        {
          header: 'Change',
          cell: (x) => (
            <span class={`diff-${x.kind}`}>
              <span aria-hidden="true">{SYMBOL[x.kind]} </span>
              {x.kind}
            </span>
          ),
        },
        { header: 'Name', cell: (x) => <code>{x.key}</code> },
        { header: 'Fields changed', cell: (x) => (x.fields.length ? x.fields.join(', ') : '—') },
        ...(tools
          ? [
              {
                header: 'tool_hash',
                cell: (x: Change) =>
                  x.hashes ? (
                    <>
                      <Id value={x.hashes.from} /> → <Id value={x.hashes.to} />
                    </>
                  ) : (
                    '—'
                  ),
              },
            ]
          : []),
      ]}
    />
  );
}

/** One field's word-level diff, with both full texts on demand. */
export function FieldDiff({ change, id }: { change: FieldChange; id: string }) {
  return (
    <section class="field-diff" aria-labelledby={id}>
      <h4 id={id}>
        <code>{change.field}</code>{' '}
        {change.format === 'json' ? <span class="muted">(JSON, pretty-printed)</span> : null}
      </h4>
      <pre class="word-diff">
        {change.words.map((w) =>
          w.op === 'insert' ? (
            <ins>{w.text}</ins>
          ) : w.op === 'delete' ? (
            <del>{w.text}</del>
          ) : (
            w.text
          ),
        )}
      </pre>
      <details>
        <summary>Old and new text of {change.field}</summary>
        <p class="muted">Before{change.before === null ? ': absent' : ''}</p>
        {change.before === null ? null : <pre class="word-diff">{change.before}</pre>}
        <p class="muted">After{change.after === null ? ': absent' : ''}</p>
        {change.after === null ? null : <pre class="word-diff">{change.after}</pre>}
      </details>
    </section>
  );
}

function ItemTexts({
  kind,
  items,
}: {
  kind: string;
  items: Array<ChangedItem & { tool_hash?: { from: string; to: string } }>;
}) {
  return (
    <>
      {items.map((item, i) => (
        <section class="item-diff" aria-labelledby={`${kind}-${i}`}>
          <h3 id={`${kind}-${i}`}>
            {kind} <code>{item.key}</code>
          </h3>
          {item.tool_hash ? (
            <p>
              tool_hash <Id value={item.tool_hash.from} /> → <Id value={item.tool_hash.to} />
              {item.fields.length === 0 ? ' (only the origin it is bound to changed)' : ''}
            </p>
          ) : null}
          {item.field_changes.map((f, j) => (
            <FieldDiff change={f} id={`${kind}-${i}-${j}`} />
          ))}
        </section>
      ))}
    </>
  );
}

function DiffView({ d }: { d: VersionDiff }) {
  const from = { serverName: d.server, version: d.from.version };
  const to = { serverName: d.server, version: d.to.version };
  return (
    <>
      <p>
        From <a href={manifestHref(from)}>{d.from.version}</a> (<Id value={d.from.digest} />) to{' '}
        <a href={manifestHref(to)}>{d.to.version}</a> (
        <Id value={d.to.digest} />
        ). Origin {d.diff.origin_changed ? <strong>changed</strong> : 'unchanged'}.
      </p>
      <ChangeTable caption="Tools" changes={changesOf(d.diff.tools)} tools />
      <ChangeTable caption="Prompts" changes={changesOf(d.diff.prompts)} />
      <ChangeTable caption="Resources" changes={changesOf(d.diff.resources)} />
      {d.diff.tools.changed.length +
        d.diff.prompts.changed.length +
        d.diff.resources.changed.length >
      0 ? (
        <section aria-labelledby="texts-heading">
          <h2 id="texts-heading">What changed, word by word</h2>
          <p class="legend">
            Inserted text is <ins>underlined and marked +</ins>, deleted text{' '}
            <del>struck through and marked −</del>.
          </p>
          <ItemTexts kind="Tool" items={d.diff.tools.changed} />
          <ItemTexts kind="Prompt" items={d.diff.prompts.changed} />
          <ItemTexts kind="Resource" items={d.diff.resources.changed} />
        </section>
      ) : null}
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
                <label for={`diff-${name}`}>
                  {name === 'from' ? 'From version' : 'To version'}
                </label>
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
          {d ? (
            <DiffView d={d} />
          ) : (
            <p>There is nothing to compare: this server has fewer than two versions.</p>
          )}
        </>
      ),
    });
  });
}
