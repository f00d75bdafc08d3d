// Which version is `latest`: the highest semver precedence among versions that are not yanked,
// releases before prereleases — a prerelease is latest only while no release exists, so
// 2.0.0-rc.1 published after 1.4.0 does not displace it (semver.org §11).
import semver from 'semver';
import type { ManifestState } from './manifest.js';

export function pickLatest(
  versions: ReadonlyArray<{ version: string; state: ManifestState }>,
): string | undefined {
  const live = versions.filter((v) => v.state !== 'yanked').map((v) => v.version);
  const releases = live.filter((v) => semver.prerelease(v) === null);
  const pool = releases.length > 0 ? releases : live;
  return pool.sort(semver.rcompare)[0];
}

/** Newest precedence first. */
export function sortVersionsDescending<T extends { version: string }>(items: T[]): T[] {
  return [...items].sort((a, b) => semver.rcompare(a.version, b.version));
}
