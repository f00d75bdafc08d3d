// Passports: the list (search by id, subject or key id; filters by state, subject type and
// publisher), the passport page with its key-continuity chain, revoke and L4 approval; the
// dashboard's active-passport and 24-hour revocation figures; "find" by passport id or key id.
import {
  countActivePassports,
  listPassports,
  PASSPORT_LIST_STATES,
  SUBJECT_TYPES,
} from '../../../src/passports/list.js';
import { PASSPORT_ID_PATTERN, type PassportRecord } from '../../../src/passports/passport.js';
import { findNewestPassportByKid, findPassportRecord } from '../../../src/passports/read.js';
import { countRecentRevocations } from '../../../src/revocation/recent.js';
import { decodeTimeCursor, encodeTimeCursor } from '../cursors.js';
import { STAT_ORDER, type AdminModule } from '../module.js';
import { listPage } from '../resource-pages.js';
import { passportActionRoutes } from './passport-actions.js';
import { passportDetailRoute } from './passport-page.js';
import { passportColumns, passportHref } from './passport-table.js';

const PUBLISHER_ID = /^pub_[0-9a-f]{32}$/;
/** RFC 7638 thumbprints: 43 base64url characters. */
const THUMBPRINT = /^[A-Za-z0-9_-]{43}$/;

const any = { value: '', label: 'any' };

export const passportsModule: AdminModule = {
  nav: { href: '/admin/passports', label: 'Passports' },
  stats: [
    {
      label: 'Active passports',
      href: '/admin/passports?status=active',
      order: STAT_ORDER.passports,
      load: (deps) => countActivePassports(deps.persistence),
    },
    {
      label: 'Revocations (24 h)',
      order: STAT_ORDER.revocations,
      load: async (deps) => (await countRecentRevocations(deps.persistence, 24)).total,
    },
  ],
  finders: [
    {
      pattern: PASSPORT_ID_PATTERN,
      resolve: async (deps, q) =>
        (await findPassportRecord(deps.persistence, q)) ? passportHref(q) : undefined,
    },
    {
      // A subject's key id: the passports certifying that key.
      pattern: THUMBPRINT,
      resolve: async (deps, q) => {
        const hit = await findNewestPassportByKid(deps.persistence, q);
        return hit ? `/admin/passports?search=${q}` : undefined;
      },
    },
  ],
  register(app, deps) {
    const p = deps.persistence;
    app.get(
      '/admin/passports',
      listPage<PassportRecord>(deps, {
        path: '/admin/passports',
        title: 'Passports',
        searchLabel: 'Passport id, subject name or key id',
        filters: [
          {
            name: 'status',
            label: 'State',
            options: [any, ...PASSPORT_LIST_STATES.map((s) => ({ value: s, label: s }))],
          },
          {
            name: 'subject_type',
            label: 'Subject type',
            options: [any, ...SUBJECT_TYPES.map((s) => ({ value: s, label: s }))],
          },
        ],
        textFilters: [
          {
            name: 'publisher',
            label: 'Publisher id',
            placeholder: 'pub_…',
            pattern: PUBLISHER_ID,
            message: 'must be a publisher id (pub_ and 32 hex digits)',
          },
        ],
        empty: 'No passports match.',
        columns: passportColumns(p.clock),
        rowId: (r) => r.passportId,
        load: async (q, c) => {
          const after = q.cursor ? decodeTimeCursor(q.cursor) : undefined;
          const page = await listPassports(p, c.get('admin').principal, {
            search: q.search,
            state: (q.filters.status || undefined) as
              (typeof PASSPORT_LIST_STATES)[number] | undefined,
            subjectType: (q.filters.subject_type || undefined) as
              (typeof SUBJECT_TYPES)[number] | undefined,
            publisherId: q.filters.publisher || undefined,
            after: after && { issuedAt: after.at, passportId: after.id },
            limit: q.limit,
          });
          return {
            items: page.items,
            nextCursor: page.next
              ? encodeTimeCursor(page.next.issuedAt, page.next.passportId)
              : null,
          };
        },
      }),
    );
    passportDetailRoute(app, deps);
    passportActionRoutes(app, deps);
  },
};
