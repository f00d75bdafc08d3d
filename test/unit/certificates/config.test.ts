// Certificate settings: default validity 7 days, never above the hard maximum of 90; CRL validity.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../../src/config.js';

describe('certificate configuration', () => {
  it('defaults to 7-day certificates and 24-hour CRLs', () => {
    const c = loadConfig({});
    assert.equal(c.certValidityDays, 7);
    assert.equal(c.crlValidityHours, 24);
  });

  it('accepts up to 90 days and refuses more, naming the setting', () => {
    assert.equal(loadConfig({ TA_CERT_VALIDITY_DAYS: '90' }).certValidityDays, 90);
    assert.throws(
      () => loadConfig({ TA_CERT_VALIDITY_DAYS: '91' }),
      (e: unknown) => e instanceof ConfigError && /TA_CERT_VALIDITY_DAYS/.test(e.message),
    );
    assert.throws(() => loadConfig({ TA_CRL_VALIDITY_HOURS: '0' }), /TA_CRL_VALIDITY_HOURS/);
  });
});
