// TA_ALLOW_PRIVATE_CHALLENGES: off by default, on only for an explicit 1/true, anything else refused.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('TA_ALLOW_PRIVATE_CHALLENGES', () => {
  it('is off unless set to 1 or true', () => {
    assert.equal(loadConfig({}).allowPrivateChallenges, false);
    assert.equal(loadConfig({ TA_ALLOW_PRIVATE_CHALLENGES: '' }).allowPrivateChallenges, false);
    assert.equal(loadConfig({ TA_ALLOW_PRIVATE_CHALLENGES: '0' }).allowPrivateChallenges, false);
    assert.equal(
      loadConfig({ TA_ALLOW_PRIVATE_CHALLENGES: 'false' }).allowPrivateChallenges,
      false,
    );
    assert.equal(loadConfig({ TA_ALLOW_PRIVATE_CHALLENGES: '1' }).allowPrivateChallenges, true);
    assert.equal(loadConfig({ TA_ALLOW_PRIVATE_CHALLENGES: 'true' }).allowPrivateChallenges, true);
  });

  it('refuses other values, naming the setting', () => {
    assert.throws(
      () => loadConfig({ TA_ALLOW_PRIVATE_CHALLENGES: 'yes' }),
      (e: unknown) => e instanceof ConfigError && /TA_ALLOW_PRIVATE_CHALLENGES/.test(e.message),
    );
  });
});
