// What a section of the admin UI contributes: navigation, routes, dashboard figures and "find"
// resolvers. Passports, certificates, servers, namespaces, manifests and agents each add one
// module (see modules/publishers.tsx for the pattern) and list it in ADMIN_MODULES.
import type { Hono } from 'hono';
import type { AppDeps } from '../../src/http/deps.js';
import type { AdminEnv } from './env.js';

export interface NavItem {
  href: string;
  label: string;
}

/** A figure on the dashboard. `load` returns undefined when it cannot be known yet. */
export interface DashboardStat {
  label: string;
  /** Where the figure links to (its list). */
  href?: string;
  load(deps: AppDeps): Promise<number | string | undefined>;
}

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
  /** Adds the module's pages under /admin; every route is already behind sign-in and CSRF. */
  register(app: Hono<AdminEnv>, deps: AppDeps): void;
}
