// `latest` follows semver precedence; prereleases never displace a release; yanked never counts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pickLatest } from '../../../src/manifests/latest.js';
import type { ManifestState } from '../../../src/manifests/manifest.js';

const v = (version: string, state: ManifestState = 'published') => ({ version, state });

describe('latest version', () => {
  it('is the highest precedence, not the last published', () => {
    assert.equal(pickLatest([v('1.10.0'), v('1.9.0'), v('1.2.3')]), '1.10.0');
    assert.equal(pickLatest([v('2.0.0'), v('1.5.0')]), '2.0.0');
  });

  it('never is a prerelease once a release exists', () => {
    assert.equal(pickLatest([v('1.0.0'), v('2.0.0-rc.1')]), '1.0.0');
    assert.equal(pickLatest([v('1.0.0-alpha'), v('1.0.0-beta')]), '1.0.0-beta');
    assert.equal(pickLatest([v('1.0.0-beta'), v('1.0.0')]), '1.0.0');
  });

  it('skips yanked versions, but not deprecated ones', () => {
    assert.equal(pickLatest([v('1.0.0'), v('1.1.0', 'yanked')]), '1.0.0');
    assert.equal(pickLatest([v('1.0.0'), v('1.1.0', 'deprecated')]), '1.1.0');
    assert.equal(pickLatest([v('1.0.0', 'yanked')]), undefined);
    assert.equal(pickLatest([]), undefined);
  });
});
