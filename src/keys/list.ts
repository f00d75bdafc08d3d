// Reads of the TA's own keys for the admin views: every key (public parts only are ever shown),
// one key by kid, those that expire soon, and a published trust-anchor version.
import type { Persistence } from '../stores.js';
import type { AnchorsDocument } from './anchors.js';
import type { AuthorityKeyRecord } from './authority-key.js';

/** Every authority key, any state. */
export async function listAuthorityKeys(p: Persistence): Promise<AuthorityKeyRecord[]> {
  return p.stores.keys.listAll();
}

/** The key with `kid`, or undefined. */
export async function findAuthorityKey(
  p: Persistence,
  kid: string,
): Promise<AuthorityKeyRecord | undefined> {
  return (await p.stores.keys.listAll()).find((k) => k.kid === kid);
}

/** Keys still in use (active or retiring) whose certificate or validity ends before `until`, soonest first. */
export async function authorityKeysExpiringBefore(
  p: Persistence,
  until: Date,
): Promise<AuthorityKeyRecord[]> {
  return (await p.stores.keys.listAll())
    .filter(
      (k) =>
        (k.status === 'active' || k.status === 'retiring') &&
        k.notAfter !== null &&
        k.notAfter < until,
    )
    .sort((a, b) => a.notAfter!.getTime() - b.notAfter!.getTime());
}

/** Trust-anchor document `version` as published (public), or undefined. */
export function findAnchorsVersion(
  p: Persistence,
  version: number,
): Promise<AnchorsDocument | undefined> {
  return p.stores.anchors.byVersion(version);
}
