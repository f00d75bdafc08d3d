// "Find": one box for everything. An id, serial, digest, kid or seq that names exactly one page
// opens it (each module's `finders`); anything else — a name, a SAN, a tool name — is searched in
// every kind (find-kinds.tsx plus modules' `search`), and the hits are listed grouped by kind.
import type { Hono } from 'hono';
import type { AppDeps } from '../../../src/http/deps.js';
import type { AdminEnv } from '../env.js';
import type { AdminModule } from '../module.js';
import { renderPage } from '../render.js';
import { FIND_KINDS, type FindHit, type FindKind } from './find-kinds.js';

/** Hits shown per kind; the kind's own list page has the rest. */
const PER_KIND = 10;

function Group({ kind, hits }: { kind: string; hits: FindHit[] }) {
  const id = `found-${kind.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return (
    <section aria-labelledby={id} class="found">
      <h2 id={id}>
        {kind}{' '}
        <span class="muted">({hits.length === PER_KIND ? `first ${PER_KIND}` : hits.length})</span>
      </h2>
      <ul class="hits">
        {hits.map((h) => (
          <li>
            <a href={h.href}>{h.label}</a>
            {h.secondary ? <span class="secondary"> {h.secondary}</span> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function findRoute(app: Hono<AdminEnv>, deps: AppDeps, modules: AdminModule[]): void {
  const finders = modules.flatMap((m) => m.finders ?? []);
  const kinds: FindKind[] = [...FIND_KINDS, ...modules.flatMap((m) => m.search ?? [])];
  app.get('/admin/find', async (c) => {
    const q = (c.req.query('q') ?? '').trim().slice(0, 200);
    if (!q) return c.redirect('/admin', 303);
    for (const f of finders.filter((x) => x.pattern.test(q))) {
      const href = await f.resolve(deps, q);
      if (href) return c.redirect(href, 303);
    }
    const principal = c.get('admin').principal;
    const found = await Promise.all(
      kinds.map(async (k) => ({
        kind: k.kind,
        hits: await k.search(deps, principal, q, PER_KIND),
      })),
    );
    const groups = found.filter((g) => g.hits.length > 0);
    return renderPage(c, deps, {
      title: `Find “${q}”`,
      status: groups.length ? 200 : 404,
      body: groups.length ? (
        <>
          <p>
            {groups.reduce((n, g) => n + g.hits.length, 0)} matches for <code>{q}</code>, by kind.
          </p>
          {groups.map((g) => (
            <Group kind={g.kind} hits={g.hits} />
          ))}
        </>
      ) : (
        <p>
          Nothing matches <code>{q}</code>. Find looks for ids, serials, digests, key ids and audit
          sequence numbers, and for names in passports, certificates (subject, SAN), agents,
          servers, manifests (server, version, tool name), namespaces and publishers.
        </p>
      ),
    });
  });
}
