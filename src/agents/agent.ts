// Agents: AI agents/clients of a publisher. Created on first use by a passport issuance
// (src/passports/issue.ts); read by their publisher's tokens and admins.
import { NotFoundError } from '../errors.js';
import { assertCanRead, type Principal } from '../auth/principal.js';
import type { Persistence } from '../stores.js';

export const AGENT_ID_PATTERN = /^agt_[0-9a-f]{32}$/;

export interface Agent {
  id: string;
  publisherId: string;
  /** Unique within the publisher; the passport's `agent.name`. */
  name: string;
  createdAt: Date;
}

/** An agent, if the principal may read it (admins, and any token of its publisher). */
export async function getAgent(p: Persistence, principal: Principal, id: string): Promise<Agent> {
  const agent = await p.stores.agents.findById(id);
  // Same answer for "absent" and "someone else's": ids of other publishers' agents do not leak.
  if (!agent || (principal.role !== 'admin' && principal.publisherId !== agent.publisherId)) {
    throw new NotFoundError(`no agent ${id}`);
  }
  return agent;
}

/**
 * A page of agents: the caller's publisher's, or (admins) any publisher's or all. `search`
 * matches a substring of the name or the exact id.
 */
export async function listAgents(
  p: Persistence,
  principal: Principal,
  o: {
    publisherId?: string | undefined;
    search?: string | undefined;
    after?: string | undefined;
    limit: number;
  },
): Promise<Agent[]> {
  let publisherId = o.publisherId;
  if (principal.role !== 'admin') {
    publisherId ??= principal.publisherId ?? undefined;
    assertCanRead(principal, publisherId ?? '');
  }
  return p.stores.agents.list({ publisherId, search: o.search, after: o.after, limit: o.limit });
}

/** The agent `id` of any publisher, or undefined (admins). */
export function findAgent(p: Persistence, id: string): Promise<Agent | undefined> {
  return p.stores.agents.findById(id);
}
