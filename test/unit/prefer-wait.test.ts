// RFC 7240 `Prefer: wait=N`, as the write routes read it for a sequenced log receipt.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_RECEIPT_WAIT_S, preferredWaitMs } from '../../src/http/middleware/audit-request.js';

describe('preferredWaitMs', () => {
  it('reads wait=N among other preferences, in ms', () => {
    assert.equal(preferredWaitMs('wait=5'), 5000);
    assert.equal(preferredWaitMs('respond-async, wait=2'), 2000);
    assert.equal(preferredWaitMs('return=minimal; wait="3"'), 3000);
    assert.equal(preferredWaitMs('WAIT = 1'), 1000);
  });
  it('caps it and ignores what is absent or malformed', () => {
    assert.equal(preferredWaitMs('wait=3600'), MAX_RECEIPT_WAIT_S * 1000);
    assert.equal(preferredWaitMs(undefined), 0);
    assert.equal(preferredWaitMs(''), 0);
    assert.equal(preferredWaitMs('wait=-1'), 0);
    assert.equal(preferredWaitMs('wait=abc'), 0);
    assert.equal(preferredWaitMs('nowait=5'), 0);
    assert.equal(preferredWaitMs('wait=5x'), 0);
  });
});
