// `mcps-ta manifest diff NS/NAME A B [--json]`: what changed from version A to version B, as the
// TA computes it (GET /v1/servers/{ns}/{name}/manifests/{a}/diff/{b}), printed word by word the
// way the admin UI's diff page shows it: deletions as [-…-], insertions as {+…+}, so an injected
// sentence in a tool description (a rug pull) reads at a glance, without colour.
import { parseArgs } from 'node:util';
import type { ManifestDiff } from '../../manifests/diff.js';
import type { FieldChange } from '../../manifests/field-diff.js';
import type { Ctx } from '../context.js';
import { usage } from '../exit-codes.js';

const SERVER_NAME = /^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/;

interface DiffResponse {
  server: string;
  from: { version: string; digest: string };
  to: { version: string; digest: string };
  diff: ManifestDiff;
}

/** One field's word diff as text: [-deleted-] and {+inserted+}. */
export function renderWords(change: FieldChange): string {
  return change.words
    .map((w) => (w.op === 'equal' ? w.text : w.op === 'delete' ? `[-${w.text}-]` : `{+${w.text}+}`))
    .join('');
}

/** The whole diff as lines of text. */
export function renderDiff(r: DiffResponse): string[] {
  const out = [
    `${r.server} ${r.from.version} (${r.from.digest}) → ${r.to.version} (${r.to.digest})`,
  ];
  const d = r.diff;
  if (d.origin_changed) out.push('origin changed');
  if (d.server_json_changed?.length)
    out.push(`server.json changed: ${d.server_json_changed.join(', ')}`);
  const kinds = [
    ['tool', d.tools],
    ['prompt', d.prompts],
    ['resource', d.resources],
  ] as const;
  for (const [kind, items] of kinds) {
    for (const name of items.added) out.push(`+ ${kind} ${name}`);
    for (const name of items.removed) out.push(`- ${kind} ${name}`);
    for (const item of items.changed) {
      const hash =
        'tool_hash' in item
          ? ` (tool_hash ${(item as { tool_hash: { from: string; to: string } }).tool_hash.from} → ${(item as { tool_hash: { from: string; to: string } }).tool_hash.to})`
          : '';
      out.push(`~ ${kind} ${item.key}: ${item.fields.join(', ')}${hash}`);
      for (const change of item.field_changes) {
        out.push(`  ${change.field}:`);
        for (const line of renderWords(change).split('\n')) out.push(`    ${line}`);
      }
    }
  }
  if (out.length === 1) out.push('no changes');
  return out;
}

export async function manifestDiff(ctx: Ctx, argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: { json: { type: 'boolean' } },
  });
  const [server, a, b, ...extra] = positionals;
  if (!server || !a || !b || extra.length)
    throw usage('mcps-ta manifest diff NS/NAME VERSION_A VERSION_B [--json]');
  if (!SERVER_NAME.test(server))
    throw usage(`${JSON.stringify(server)} is not a server name such as com.example/weather`);
  const r = await ctx
    .ta()
    .get<DiffResponse>(
      `/v1/servers/${server}/manifests/${encodeURIComponent(a)}/diff/${encodeURIComponent(b)}`,
    );
  if (values.json) ctx.io.stdout(JSON.stringify(r, null, 2));
  else for (const line of renderDiff(r)) ctx.io.stdout(line);
}
