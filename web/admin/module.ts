// What a section of the admin UI contributes: navigation, routes, dashboard figures and "find"
// resolvers. Each section (passports, agents, servers, manifests, namespaces, publishers…; see
// modules/namespaces.tsx for the pattern) is one module listed in ADMIN_MODULES.
import type { Hono } from 'hono';
import type { AppDeps } from '../../src/http/deps.js';
import type { AdminEnv } from './env.js';
import type { FindKind } from './pages/find-kinds.js';

export interface NavItem {
  href: string;
  label: string;
}

/** A figure's value: a count, a word or number (e.g. a CRL number), or an instant (shown in UTC). */
export type StatValue = number | string | Date;

/**
 * A figure on the dashboard, contributed by any module. `load` returns undefined when it cannot
 * be known yet (the figure is then left out, not shown as 0). Figures appear by `order`, then in
 * module order. The certificates section (modules/certificates.tsx) adds its figures here, e.g.
 * `{ label: 'Valid certificates', order: STAT_ORDER.certificates, load }` and
 * `{ label: 'CRL next update', order: STAT_ORDER.crl + 1, load: async () => crl?.nextUpdate }`.
 */
export interface DashboardStat {
  label: string;
  /** Where the figure links to (its list). */
  href?: string;
  /** Position among the figures, lower first (default STAT_ORDER.other). */
  order?: number;
  load(deps: AppDeps): Promise<StatValue | undefined>;
}

/** Positions of the dashboard figures, in the order the issue lists them. */
export const STAT_ORDER = {
  passports: 10,
  certificates: 20,
  servers: 30,
  publishers: 40,
  revocations: 50,
  crl: 60,
  other: 100,
} as const;

/** Turns what someone typed into the "Find" box into a page, when it is recognisably ours. */
export interface Finder {
  /** e.g. /^pub_[0-9a-f]{32}$/ */
  pattern: RegExp;
  /** The page to open, or undefined when nothing of that id exists. */
  resolve(deps: AppDeps, query: string): Promise<string | undefined>;
}

export interface AdminModule {
  nav?: NavItem;
  stats?: DashboardStat[];
  finders?: Finder[];
  /** Kinds "Find" also searches by free text, beyond the built-in ones (pages/find-kinds.tsx). */
  search?: FindKind[];
  /** Adds the module's pages under /admin; every route is already behind sign-in and CSRF. */
  register(app: Hono<AdminEnv>, deps: AppDeps): void;
}
