// Proof before signature for server.json `remotes` (DESIGN.md §9): every `remotes[].url` host is
// signed inside the manifest and served on /v0.1 as a place to connect to, so the TA must hold
// the same proof for it as for the server's origin — a namespace the publisher holds verified that
// covers the host (https, public DNS name), or the server's admin approval of exactly that origin.
import { InvalidRequestError } from '../errors.js';
import { originNotProven, proveOrigin } from '../registry/origin-proof.js';
import type { Server } from '../registry/server.js';
import type { Stores } from '../stores.js';
import type { ServerJsonExtras } from './server-json-schema.js';

/** The origin (`scheme://host[:port]`) of a remote URL template, or a problem message. */
export function remoteOrigin(url: string): { origin: string } | string {
  // `{variables}` may appear in the path or query, never in the authority: the host is what is proven.
  const authority = /^https?:\/\/([^/?#]*)/.exec(url)?.[1] ?? '';
  if (/[{}]/.test(authority))
    return 'must name a literal host: {variables} are allowed only after the host';
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'must be an absolute http(s) URL';
  }
  if (u.username || u.password) return 'must not carry credentials';
  return { origin: u.origin };
}

/**
 * Refuses (400 for a malformed URL, 409 for a host without proof, naming
 * `<field>.remotes.<i>.url`) a remote the TA could not vouch for. Pass the signing transaction's
 * stores: the namespaces are read FOR SHARE there, like the origin's own proof.
 */
export async function requireProvenRemotes(
  s: Pick<Stores, 'namespaces'>,
  server: Server,
  extras: ServerJsonExtras | undefined,
  field: string,
): Promise<void> {
  const remotes = extras?.remotes ?? [];
  for (const [i, remote] of remotes.entries()) {
    const f = `${field}.remotes.${i}.url`;
    const parsed = remoteOrigin(remote.url);
    if (typeof parsed === 'string') throw InvalidRequestError.field(f, parsed);
    const proof = await proveOrigin(s, {
      origin: parsed.origin,
      publisherId: server.publisherId,
      approval: server.originApproval,
    });
    if (!proof.proven)
      throw originNotProven(
        `cannot sign remote ${remote.url} of ${server.name}`,
        parsed.origin,
        proof.reason,
        f,
      );
  }
}
