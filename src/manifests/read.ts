// Public reads of manifests: by version or `latest`, by digest, the version list, diffs, and the
// status view (state, reason, and the revocation sequence number of a yank).
import { InvalidRequestError, NotFoundError } from '../errors.js';
import type { Persistence } from '../stores.js';
import { diffManifests, type ManifestDiff } from './diff.js';
import { sortVersionsDescending } from './latest.js';
import { versionProblem } from './manifest-input.js';
import { manifestOf, type ManifestRecord, type ManifestState } from './manifest.js';

export interface ManifestStatus {
  state: ManifestState;
  reason: string | null;
  changed_at: string | null;
  /** Sequence number in the revocation feed, for yanked versions. */
  revocation_seq: number | null;
  is_latest: boolean;
}

/** `sha256:` + 64 lowercase hex. */
export const DIGEST_PATTERN = /^sha256:[0-9a-f]{64}$/;

async function requireServer(p: Persistence, serverName: string): Promise<void> {
  if (!(await p.stores.servers.find(serverName)))
    throw new NotFoundError(`no server ${serverName}`);
}

/** A version of a server, or its `latest`. */
export async function getManifest(
  p: Persistence,
  serverName: string,
  version: string,
  field = 'path.version',
): Promise<ManifestRecord> {
  await requireServer(p, serverName);
  if (version === 'latest') {
    const latest = await p.stores.manifests.findLatest(serverName);
    if (!latest)
      throw new NotFoundError(`${serverName} has no published version that is not yanked`);
    return latest;
  }
  const problem = versionProblem(version);
  if (problem) throw InvalidRequestError.field(field, `must be "latest" or a version: ${problem}`);
  const record = await p.stores.manifests.findByVersion(serverName, version);
  if (!record) throw new NotFoundError(`no version ${version} of ${serverName}`);
  return record;
}

/** A manifest by digest, whatever its state (a yanked one says so in its status). */
export async function getManifestByDigest(p: Persistence, digest: string): Promise<ManifestRecord> {
  if (!DIGEST_PATTERN.test(digest))
    throw InvalidRequestError.field(
      'path.digest',
      'must be sha256: followed by 64 lowercase hex digits',
    );
  const record = await p.stores.manifests.findByDigest(digest);
  if (!record) throw new NotFoundError(`no manifest ${digest}`);
  return record;
}

/** Every version of a server, highest precedence first. */
export async function listManifestVersions(
  p: Persistence,
  serverName: string,
): Promise<ManifestRecord[]> {
  await requireServer(p, serverName);
  return sortVersionsDescending(await p.stores.manifests.listByServer(serverName));
}

/** The status view of a record. */
export async function statusOf(p: Persistence, r: ManifestRecord): Promise<ManifestStatus> {
  const revocation =
    r.state === 'yanked' ? await p.stores.revocations.find('manifest', r.digest) : undefined;
  return {
    state: r.state,
    reason: r.statusReason,
    changed_at: r.statusChangedAt?.toISOString() ?? null,
    revocation_seq: revocation?.seq ?? null,
    is_latest: r.isLatest,
  };
}

export interface VersionDiff {
  server: string;
  from: { version: string; digest: string };
  to: { version: string; digest: string };
  diff: ManifestDiff;
}

/** What changed from version `a` to version `b` (either may be `latest`). */
export async function diffVersions(
  p: Persistence,
  serverName: string,
  a: string,
  b: string,
): Promise<VersionDiff> {
  const from = await getManifest(p, serverName, a, 'path.a');
  const to = await getManifest(p, serverName, b, 'path.b');
  return {
    server: serverName,
    from: { version: from.version, digest: from.digest },
    to: { version: to.version, digest: to.digest },
    diff: diffManifests(manifestOf(from), manifestOf(to)),
  };
}
