// Lifecycle of a published version: deprecate (still served and pinnable, with a note) and yank
// (a revocation: recorded in the revocation table for the feed; still fetchable by digest, marked
// yanked, and never `latest`). Owners or admins; each change audited in its transaction.
import { appendAuditEvent } from '../audit/append.js';
import { ConflictError, InvalidRequestError, NotFoundError } from '../errors.js';
import { actorOf, assertActsFor, type Principal } from '../auth/principal.js';
import { recordRevocation } from '../revocation/revocation.js';
import type { Persistence, Stores } from '../stores.js';
import { pickLatest } from './latest.js';
import type { ManifestRecord } from './manifest.js';

export const REASON_MAX = 500;

function checkReason(reason: string | null, required: boolean): string | null {
  const r = reason?.trim() ?? '';
  if (r.length === 0) {
    if (required) throw InvalidRequestError.field('body.reason', 'is required');
    return null;
  }
  if (r.length > REASON_MAX)
    throw InvalidRequestError.field('body.reason', `must be at most ${REASON_MAX} characters`);
  return r;
}

async function lockVersion(
  s: Stores,
  principal: Principal,
  serverName: string,
  version: string,
): Promise<ManifestRecord> {
  const server = await s.servers.findForUpdate(serverName);
  if (!server) throw new NotFoundError(`no server ${serverName}`);
  assertActsFor(principal, server.publisherId);
  const record = await s.manifests.findByVersion(serverName, version);
  if (!record) throw new NotFoundError(`no version ${version} of ${serverName}`);
  return record;
}

/** Marks a version deprecated. Deprecated again → unchanged; a yanked version → 409. */
export async function deprecateManifest(
  p: Persistence,
  principal: Principal,
  serverName: string,
  version: string,
  reasonInput: string | null,
): Promise<ManifestRecord> {
  const reason = checkReason(reasonInput, false);
  return p.transact(async (s) => {
    const record = await lockVersion(s, principal, serverName, version);
    if (record.state === 'deprecated') return record;
    if (record.state === 'yanked') throw new ConflictError(`${serverName}@${version} is yanked`);
    const now = p.clock.now();
    const next: ManifestRecord = {
      ...record,
      state: 'deprecated',
      statusReason: reason,
      statusChangedAt: now,
      updatedAt: now,
    };
    await s.manifests.updateState(record.digest, {
      state: next.state,
      statusReason: reason,
      statusChangedAt: now,
      updatedAt: now,
    });
    await appendAuditEvent(s, p.clock, {
      actor: actorOf(principal),
      action: 'manifest.deprecated',
      subject: `manifest:${serverName}@${version}`,
      data: { digest: record.digest, reason },
    });
    return next;
  });
}

/** Yanks a version: state, revocation row, new `latest`, audit event. Yanked again → unchanged. */
export async function yankManifest(
  p: Persistence,
  principal: Principal,
  serverName: string,
  version: string,
  reasonInput: string,
): Promise<ManifestRecord> {
  const reason = checkReason(reasonInput, true)!;
  return p.transact(async (s) => {
    const record = await lockVersion(s, principal, serverName, version);
    if (record.state === 'yanked') return record;
    const now = p.clock.now();
    await s.manifests.updateState(record.digest, {
      state: 'yanked',
      statusReason: reason,
      statusChangedAt: now,
      updatedAt: now,
    });
    const latest = pickLatest(
      (await s.manifests.listByServer(serverName)).map((m) =>
        m.digest === record.digest ? { ...m, state: 'yanked' as const } : m,
      ),
    );
    await s.manifests.setLatest(serverName, latest, now);
    const revocation = await recordRevocation(s, {
      kind: 'manifest',
      subject: record.digest,
      reason,
      revokedAt: now,
      data: { server: serverName, version },
    });
    await appendAuditEvent(s, p.clock, {
      actor: actorOf(principal),
      action: 'manifest.yanked',
      subject: `manifest:${serverName}@${version}`,
      data: { digest: record.digest, reason, revocation_seq: revocation.seq },
    });
    return {
      ...record,
      state: 'yanked',
      statusReason: reason,
      statusChangedAt: now,
      isLatest: false,
      updatedAt: now,
    };
  });
}
