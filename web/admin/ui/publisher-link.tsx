// A publisher shown by name, linked to its page, with its id as secondary text. Publisher names
// never change (there is no rename), so names once read are remembered per app.
import type { AppDeps } from '../../../src/http/deps.js';
import { findPublisher } from '../../../src/registry/read.js';
import { Id } from './format.js';

const names = new WeakMap<AppDeps, Map<string, string>>();

/** The publisher's name, or undefined when no publisher has `id`. */
export async function publisherName(deps: AppDeps, id: string): Promise<string | undefined> {
  let cache = names.get(deps);
  if (!cache) names.set(deps, (cache = new Map()));
  const known = cache.get(id);
  if (known !== undefined) return known;
  const p = await findPublisher(deps.persistence, id);
  if (p) cache.set(id, p.name);
  return p?.name;
}

/** `<a>Acme Agents</a> pub_…` (an async component: hono renders it when the page is written). */
export async function PublisherLink({ deps, id }: { deps: AppDeps; id: string }) {
  const name = await publisherName(deps, id);
  return (
    <span class="named">
      <a href={`/admin/publishers/${id}`}>{name ?? id}</a>
      {name ? (
        <>
          {' '}
          <span class="secondary">
            <Id value={id} />
          </span>
        </>
      ) : null}
    </span>
  );
}
