// A test-only admin section built purely from the generic building blocks, in the way the
// passports, certificates, servers… sections are meant to be written (see web/README.md).
// Backed by an in-memory list so the building blocks are tested without any other feature.
import { z } from 'zod';
import type { AdminModule } from '../../web/admin/module.js';
import { confirmAction, detailPage, listPage } from '../../web/admin/resource-pages.js';
import { StatusBadge } from '../../web/admin/ui/badge.js';
import { issueFor, SelectField } from '../../web/admin/ui/form.js';

export interface Note {
  id: string;
  title: string;
  status: 'active' | 'revoked';
  reason: string | null;
}

const REASONS = ['keyCompromise', 'superseded', 'unspecified'] as const;

export function notesModule(notes: Note[]): AdminModule {
  const find = async (id: string) => notes.find((n) => n.id === id);
  return {
    nav: { href: '/admin/notes', label: 'Notes' },
    stats: [
      {
        label: 'Revoked notes',
        href: '/admin/notes?status=revoked',
        load: async () => notes.filter((n) => n.status === 'revoked').length,
      },
      { label: 'Not known yet', load: async () => undefined },
      // An instant (like a CRL's next update), placed first by its order.
      { label: 'Next review', order: 1, load: async () => new Date('2030-01-02T03:04:05.000Z') },
    ],
    finders: [
      {
        pattern: /^note_\d+$/,
        resolve: async (_deps, q) => ((await find(q)) ? `/admin/notes/${q}` : undefined),
      },
    ],
    register(app, deps) {
      app.get(
        '/admin/notes',
        listPage<Note>(deps, {
          path: '/admin/notes',
          title: 'Notes',
          searchLabel: 'Title contains',
          filters: [
            {
              name: 'status',
              label: 'Status',
              options: [
                { value: '', label: 'any' },
                { value: 'active', label: 'active' },
                { value: 'revoked', label: 'revoked' },
              ],
            },
          ],
          pageSize: 10,
          empty: 'No notes match.',
          columns: [
            { header: 'Title', cell: (n) => <a href={`/admin/notes/${n.id}`}>{n.title}</a> },
            { header: 'Status', cell: (n) => <StatusBadge status={n.status} /> },
          ],
          load: async (q) => {
            const all = notes.filter(
              (n) =>
                (!q.search || n.title.includes(q.search)) &&
                (!q.filters.status || n.status === q.filters.status),
            );
            const start = q.cursor ? Number(q.cursor) : 0;
            const items = all.slice(start, start + q.limit);
            return {
              items,
              nextCursor: start + q.limit < all.length ? String(start + q.limit) : null,
            };
          },
        }),
      );
      app.get(
        '/admin/notes/:id',
        detailPage<Note>(deps, {
          load: find,
          title: (n) => `Note ${n.title}`,
          fields: (n) => [
            ['Status', <StatusBadge status={n.status} />],
            ['Reason', n.reason ?? '—'],
          ],
          actions: (n) =>
            n.status === 'active'
              ? [{ href: `/admin/notes/${n.id}/revoke`, label: 'Revoke…', danger: true }]
              : [],
        }),
      );
      confirmAction<Note, { reason: (typeof REASONS)[number] }>(app, deps, {
        path: '/admin/notes/:id/revoke',
        load: async ({ id }) => find(id ?? ''),
        title: (n) => `Revoke note ${n.title}`,
        question: (n) => `Revoke ${n.title}?`,
        confirmLabel: 'Revoke note',
        cancelHref: (n) => `/admin/notes/${n.id}`,
        form: z.object({ reason: z.enum(REASONS, { error: 'choose a reason' }) }),
        fields: (_n, values, issues) => (
          <SelectField
            name="reason"
            label="Reason"
            value={values.reason}
            error={issueFor(issues, 'reason')}
            options={[
              { value: '', label: 'choose…' },
              ...REASONS.map((r) => ({ value: r, label: r })),
            ]}
          />
        ),
        run: async (_c, n, form) => {
          n.status = 'revoked';
          n.reason = form.reason;
          return { redirect: `/admin/notes/${n.id}`, notice: `Note ${n.title} revoked.` };
        },
      });
    },
  };
}
