// The Hono environment of every route: what middleware puts on the context.
import type { Principal } from '../auth/principal.js';

export interface AppVariables {
  requestId: string;
  principal: Principal;
}

export interface AppEnv {
  Variables: AppVariables;
}
