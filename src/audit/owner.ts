// Which publisher an audit event belongs to, so that a publisher's auditor reads that
// publisher's events only (DESIGN §8). Decided once, when the event is appended inside the
// state change's transaction, from what the event is about (its subject) — an admin revoking
// A's passport is A's event too — or else from who did it (a publisher or auditor token).
// The answer is recorded as `data.publisher_id`, which the chain hash covers.
import type { Stores } from '../stores.js';
import { knownActorPublisher } from './request-context.js';

/** The stores the owner lookup reads (those of the caller's transaction). */
export type OwnerLookups = Pick<
  Stores,
  'tokens' | 'passports' | 'agents' | 'namespaces' | 'servers' | 'certificates' | 'webhooks'
>;

async function ownerOfSubject(
  s: OwnerLookups,
  subject: string,
): Promise<string | null | undefined> {
  const colon = subject.indexOf(':');
  if (colon < 0) return undefined;
  const kind = subject.slice(0, colon);
  const id = subject.slice(colon + 1);
  switch (kind) {
    case 'publisher':
      return id;
    case 'token':
      return (await s.tokens.findById(id))?.publisherId;
    case 'passport':
      return (await s.passports.findById(id))?.publisherId;
    case 'agent':
      return (await s.agents.findById(id))?.publisherId;
    case 'namespace':
      return (await s.namespaces.find(id))?.publisherId;
    case 'server':
      return (await s.servers.find(id))?.publisherId;
    case 'manifest':
      return (await s.servers.find(id.slice(0, id.lastIndexOf('@'))))?.publisherId;
    case 'certificate':
      return (await s.certificates.findBySerial(id))?.publisherId;
    case 'webhook':
      return (await s.webhooks.find(id))?.publisherId;
    default:
      // authority keys, trust anchors, admin users: the TA's own events
      return undefined;
  }
}

/** The publisher an event about `subject` by `actor` belongs to; null for TA-wide events. */
export async function eventOwner(
  s: OwnerLookups,
  subject: string,
  actor: string,
): Promise<string | null> {
  const bySubject = await ownerOfSubject(s, subject);
  if (bySubject) return bySubject;
  return actorPublisher(s, actor);
}

/**
 * The publisher of the token `actor` names (`token:<id>`), or null (no such token, a token of no
 * publisher, or an actor that is no token). The current request's own caller is known without a
 * read: a token's publisher never changes.
 */
export async function actorPublisher(
  s: Pick<OwnerLookups, 'tokens'>,
  actor: string,
): Promise<string | null> {
  if (!actor.startsWith('token:')) return null;
  const known = knownActorPublisher(actor);
  if (known !== undefined) return known;
  return (await s.tokens.findById(actor.slice('token:'.length)))?.publisherId ?? null;
}
