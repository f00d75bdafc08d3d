// Whether an origin is under verified control of a publisher, without a server's admin approval:
// proof (a) of src/registry/origin-proof.ts, kept as a boolean for callers that need only that.
import type { NamespaceStore } from './namespace-store.js';
import { proveOrigin } from './origin-proof.js';
import type { ServerStore } from './server-store.js';

/**
 * True when `origin` is an https URL on a public DNS name that is the domain, or a subdomain of
 * the domain, of a namespace verified by `publisherId`. Plain-http, IP-literal and private
 * origins never are: anyone on the path, or on the network, could answer for them.
 */
export async function isOriginVerified(
  namespaces: Pick<NamespaceStore, 'findVerified'>,
  input: { origin: string; publisherId: string },
): Promise<boolean> {
  return (await proveOrigin({ namespaces }, { ...input, approval: null })).proven;
}

/** Whether the TA holds a current proof for a registered server's origin (false for an unknown server). */
export async function isServerOriginVerified(
  stores: { namespaces: Pick<NamespaceStore, 'findVerified'>; servers: Pick<ServerStore, 'find'> },
  serverName: string,
): Promise<boolean> {
  const server = await stores.servers.find(serverName);
  if (!server) return false;
  return (
    await proveOrigin(stores, {
      origin: server.origin,
      publisherId: server.publisherId,
      approval: server.originApproval,
    })
  ).proven;
}
