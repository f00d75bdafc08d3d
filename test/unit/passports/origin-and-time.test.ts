// Origin patterns of delegated issuers, and the one accepted time format.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { originWithin, parseOrigin } from '../../../src/passports/origin-pattern.js';
import { parseUtc } from '../../../src/passports/times.js';

const o = (v: string) => parseOrigin(v, true)!;

describe('origin patterns', () => {
  it('parses origins and, where allowed, wildcard patterns', () => {
    assert.deepEqual(parseOrigin('https://api.example.com', false), {
      scheme: 'https',
      host: 'api.example.com',
      wildcard: false,
      port: 443,
    });
    assert.equal(parseOrigin('https://*.example.com', false), undefined);
    assert.equal(parseOrigin('https://*.com', true), undefined);
    for (const bad of [
      'ftp://x.example',
      'https://API.example.com',
      'https://x.example/path',
      'https://x.example:0',
      'https://x.example:70000',
      'https://a.*.example.com',
    ]) {
      assert.equal(parseOrigin(bad, true), undefined, bad);
    }
  });

  it('a child is within a parent only when every origin it names is named by the parent', () => {
    assert.ok(originWithin(o('https://a.example.com'), o('https://*.example.com')));
    assert.ok(originWithin(o('https://x.a.example.com'), o('https://*.example.com')));
    assert.ok(originWithin(o('https://*.a.example.com'), o('https://*.example.com')));
    assert.ok(originWithin(o('https://*.example.com'), o('https://*.example.com')));
    assert.ok(originWithin(o('https://a.example.com:443'), o('https://a.example.com')));
    assert.ok(!originWithin(o('https://example.com'), o('https://*.example.com')));
    assert.ok(!originWithin(o('https://badexample.com'), o('https://*.example.com')));
    assert.ok(!originWithin(o('https://*.example.com'), o('https://a.example.com')));
    assert.ok(!originWithin(o('http://a.example.com'), o('https://*.example.com')));
    assert.ok(!originWithin(o('https://a.example.com:8443'), o('https://*.example.com')));
  });
});

describe('passport times', () => {
  it('accepts RFC 3339 UTC with or without fractional seconds (1–9 digits), refuses everything else', () => {
    assert.equal(parseUtc('2026-03-01T12:00:00.000Z')?.toISOString(), '2026-03-01T12:00:00.000Z');
    assert.equal(parseUtc('2026-03-01T12:00:00Z')?.toISOString(), '2026-03-01T12:00:00.000Z');
    assert.equal(parseUtc('2026-03-01T12:00:00.5Z')?.toISOString(), '2026-03-01T12:00:00.500Z');
    assert.equal(
      parseUtc('2026-03-01T12:00:00.123456789Z')?.toISOString(),
      '2026-03-01T12:00:00.123Z',
    );
    assert.equal(parseUtc('0099-12-31T23:59:59Z')?.toISOString(), '0099-12-31T23:59:59.000Z');
    for (const bad of [
      '2026-03-01T12:00:00.000+00:00',
      '2026-03-01T12:00:00+00:00',
      '2026-03-01T12:00:00.000z',
      '2026-03-01t12:00:00Z',
      '2026-03-01T12:00:00.Z',
      '2026-03-01T12:00:00.1234567890Z',
      '2026-03-01T12:00Z',
      '2026-02-29T00:00:00.000Z',
      '2026-02-29T00:00:00Z',
      '2026-03-01T24:00:00.000Z',
      '2026-12-31T23:59:60Z',
      '2026-13-01T00:00:00Z',
      '',
    ]) {
      assert.equal(parseUtc(bad), undefined, bad);
    }
  });
});
