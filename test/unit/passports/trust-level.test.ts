// Trust levels are assigned from what was checked, never more (DESIGN.md §5).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assignTrustLevel } from '../../../src/passports/trust-level.js';

describe('assignTrustLevel', () => {
  it('L2 for every issuance: proof of possession is always checked', () => {
    assert.equal(
      assignTrustLevel({ subjectType: 'agent', originVerified: false, auditApproved: false }),
      2,
    );
    assert.equal(
      assignTrustLevel({ subjectType: 'server', originVerified: false, auditApproved: false }),
      2,
    );
  });

  it('L3 only for a server whose origin was proven and that has a signed manifest', () => {
    assert.equal(
      assignTrustLevel({
        subjectType: 'server',
        originVerified: true,
        signedManifest: true,
        auditApproved: false,
      }),
      3,
    );
    assert.equal(
      assignTrustLevel({
        subjectType: 'server',
        originVerified: true,
        signedManifest: false,
        auditApproved: false,
      }),
      2,
    );
    assert.equal(
      assignTrustLevel({
        subjectType: 'server',
        originVerified: false,
        signedManifest: true,
        auditApproved: false,
      }),
      2,
    );
    assert.equal(
      assignTrustLevel({ subjectType: 'agent', originVerified: true, auditApproved: false }),
      2,
    );
  });

  it('L4 only with an audit approval on top of the automatic checks', () => {
    assert.equal(
      assignTrustLevel({ subjectType: 'agent', originVerified: false, auditApproved: true }),
      4,
    );
    assert.equal(
      assignTrustLevel({
        subjectType: 'server',
        originVerified: true,
        signedManifest: true,
        auditApproved: true,
      }),
      4,
    );
    assert.equal(
      assignTrustLevel({
        subjectType: 'server',
        originVerified: true,
        signedManifest: false,
        auditApproved: true,
      }),
      2,
    );
    assert.equal(
      assignTrustLevel({ subjectType: 'server', originVerified: false, auditApproved: true }),
      2,
    );
    assert.equal(
      assignTrustLevel({ subjectType: 'issuer', originVerified: false, auditApproved: true }),
      4,
    );
  });
});
