// "Find": jumps to whatever an id names (publisher, token, key, audit seq, actor…), each module
// contributing resolvers; anything else searches publishers by name.
import type { Hono } from 'hono';
import type { AppDeps } from '../../../src/http/deps.js';
import type { AdminEnv } from '../env.js';
import type { AdminModule } from '../module.js';
import { renderPage } from '../render.js';
import { hrefWith } from '../ui/pager.js';

export function findRoute(app: Hono<AdminEnv>, deps: AppDeps, modules: AdminModule[]): void {
  const finders = modules.flatMap((m) => m.finders ?? []);
  app.get('/admin/find', async (c) => {
    const q = (c.req.query('q') ?? '').trim().slice(0, 200);
    if (!q) return c.redirect('/admin', 303);
    const matching = finders.filter((f) => f.pattern.test(q));
    for (const f of matching) {
      const href = await f.resolve(deps, q);
      if (href) return c.redirect(href, 303);
    }
    if (matching.length === 0) return c.redirect(hrefWith('/admin/publishers', { search: q }), 303);
    return renderPage(c, deps, {
      title: 'Not found',
      status: 404,
      body: (
        <p>
          Nothing has the id <code>{q}</code>. <a href={hrefWith('/admin/publishers', { search: q })}>Search publishers for it</a>.
        </p>
      ),
    });
  });
}
