// Agents: the list (search by name or id, filter by publisher) and an agent's page with its
// passports, newest first; "find" by agent id.
import {
  AGENT_ID_PATTERN,
  findAgent,
  getAgent,
  listAgents,
  type Agent,
} from '../../../src/agents/agent.js';
import { listAgentPassports } from '../../../src/passports/read.js';
import { NotFoundError } from '../../../src/errors.js';
import { decodeCursor, encodeCursor } from '../../../src/http/pagination.js';
import type { AdminModule } from '../module.js';
import { detailPage, listPage } from '../resource-pages.js';
import { Id, Time } from '../ui/format.js';
import { PassportTable } from './passport-table.js';
import { PublisherLink } from '../ui/publisher-link.js';

const PUBLISHER_ID = /^pub_[0-9a-f]{32}$/;

export const agentsModule: AdminModule = {
  nav: { href: '/admin/agents', label: 'Agents' },
  finders: [
    {
      pattern: AGENT_ID_PATTERN,
      resolve: async (deps, q) =>
        (await findAgent(deps.persistence, q)) ? `/admin/agents/${q}` : undefined,
    },
  ],
  register(app, deps) {
    const p = deps.persistence;
    app.get(
      '/admin/agents',
      listPage<Agent>(deps, {
        path: '/admin/agents',
        title: 'Agents',
        intro: <p>AI agents of publishers; an agent is created by its first passport.</p>,
        searchLabel: 'Name contains, or agent id',
        textFilters: [
          {
            name: 'publisher',
            label: 'Publisher id',
            placeholder: 'pub_…',
            pattern: PUBLISHER_ID,
            message: 'must be a publisher id (pub_ and 32 hex digits)',
          },
        ],
        empty: 'No agents match.',
        columns: [
          { header: 'Name', cell: (a) => <a href={`/admin/agents/${a.id}`}>{a.name}</a> },
          { header: 'Id', cell: (a) => <Id value={a.id} /> },
          { header: 'Publisher', cell: (a) => <PublisherLink deps={deps} id={a.publisherId} /> },
          { header: 'Created', cell: (a) => <Time value={a.createdAt} /> },
        ],
        load: async (q, c) => {
          const after = q.cursor ? decodeCursor(q.cursor, 'query.cursor') : undefined;
          const rows = await listAgents(p, c.get('admin').principal, {
            search: q.search,
            publisherId: q.filters.publisher || undefined,
            after,
            limit: q.limit + 1,
          });
          const items = rows.slice(0, q.limit);
          return {
            items,
            nextCursor: rows.length > q.limit ? encodeCursor(items[items.length - 1]!.id) : null,
          };
        },
      }),
    );
    app.get(
      '/admin/agents/:id',
      detailPage<Agent>(deps, {
        load: async (id, c) => {
          if (!AGENT_ID_PATTERN.test(id)) return undefined;
          return getAgent(p, c.get('admin').principal, id).catch((err: unknown) => {
            if (err instanceof NotFoundError) return undefined;
            throw err;
          });
        },
        title: (a) => `Agent ${a.name}`,
        fields: (a) => [
          ['Name', a.name],
          ['Id', <Id value={a.id} />],
          ['Publisher', <PublisherLink deps={deps} id={a.publisherId} />],
          ['Created', <Time value={a.createdAt} />],
        ],
        sections: async (a) => {
          const rows = (await listAgentPassports(p, a.id)).reverse();
          return (
            <section aria-labelledby="passports-heading">
              <h2 id="passports-heading">Passports</h2>
              <PassportTable
                rows={rows}
                clock={p.clock}
                caption={`Passports of ${a.name}, newest first`}
                empty="This agent has no passports."
              />
            </section>
          );
        },
      }),
    );
  },
};
