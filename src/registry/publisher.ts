// Publishers: organisations that own namespaces, servers, agents and tokens.
import { appendAuditEvent } from '../audit/append.js';
import { randomId } from '../crypto/random.js';
import { InvalidRequestError, NotFoundError } from '../errors.js';
import { pipelined } from '../pipelined.js';
import type { Persistence } from '../stores.js';
import { actorOf, assertCanRead, type Principal } from '../auth/principal.js';

export interface Publisher {
  id: string;
  name: string;
  createdAt: Date;
}

/** 1–128 printable characters, no leading/trailing space, no control characters. */
export const PUBLISHER_NAME_PATTERN = /^[^\s\p{C}](?:[^\p{C}]{0,126}[^\s\p{C}])?$/u;

/** Creates a publisher (admin only — enforced at the route) and audits it. */
export async function createPublisher(
  p: Persistence,
  actor: Principal | 'cli',
  input: { name: string },
): Promise<Publisher> {
  if (!PUBLISHER_NAME_PATTERN.test(input.name)) {
    throw InvalidRequestError.field(
      'body.name',
      'must be 1–128 printable characters without surrounding spaces',
    );
  }
  const publisher: Publisher = { id: randomId('pub_'), name: input.name, createdAt: p.clock.now() };
  return p.transact(async (s) => {
    // The row and its event in one round trip.
    await pipelined([
      s.publishers.insert(publisher),
      appendAuditEvent(s, p.clock, {
        actor: actorOf(actor),
        action: 'publisher.created',
        subject: `publisher:${publisher.id}`,
        data: { name: publisher.name },
      }),
    ] as const);
    return publisher;
  });
}

/** A publisher, if the principal may read it. */
export async function getPublisher(
  p: Persistence,
  principal: Principal,
  id: string,
): Promise<Publisher> {
  assertCanRead(principal, id);
  const publisher = await p.stores.publishers.findById(id);
  if (!publisher) throw new NotFoundError(`no publisher ${id}`);
  return publisher;
}
