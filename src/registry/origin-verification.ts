// Whether a server's origin is under verified control of its publisher — one of the L3 conditions
// of a server passport (DESIGN.md §5): the origin's host lies within a namespace's domain that
// the same publisher verified (HTTP challenge or admin approval).
import type { NamespaceStore } from './namespace-store.js';
import { namespacesCoveringHost } from './namespace-name.js';
import type { ServerStore } from './server-store.js';

/**
 * True when `origin` is an https URL whose host is the domain, or a subdomain of the domain, of
 * a namespace verified by `publisherId`. Plain-http origins are never verified: anyone on the
 * path could impersonate them.
 */
export async function isOriginVerified(
  namespaces: Pick<NamespaceStore, 'findVerified'>,
  input: { origin: string; publisherId: string },
): Promise<boolean> {
  let url: URL;
  try {
    url = new URL(input.origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:') return false;
  const candidates = namespacesCoveringHost(url.hostname);
  if (candidates.length === 0) return false;
  const verified = await namespaces.findVerified(candidates);
  return verified.some((ns) => ns.publisherId === input.publisherId);
}

/** isOriginVerified for a registered server (false for an unknown server). */
export async function isServerOriginVerified(
  stores: { namespaces: Pick<NamespaceStore, 'findVerified'>; servers: Pick<ServerStore, 'find'> },
  serverName: string,
): Promise<boolean> {
  const server = await stores.servers.find(serverName);
  if (!server) return false;
  return isOriginVerified(stores.namespaces, { origin: server.origin, publisherId: server.publisherId });
}
