// The Hono environment of admin UI pages: the app's variables plus the signed-in session.
import type { Context } from 'hono';
import type { ActiveSession } from '../../src/admin/session.js';
import type { AppVariables } from '../../src/http/context.js';
import type { NavItem } from './module.js';

export interface AdminVariables extends AppVariables {
  /** Set by requireSession on every page behind sign-in. */
  admin: ActiveSession;
  /** Navigation of the registered modules, for the layout. */
  nav: NavItem[];
}

export interface AdminEnv {
  Variables: AdminVariables;
}

export type AdminContext = Context<AdminEnv>;
