import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('configuration', () => {
  it('has working defaults for an empty environment', () => {
    const c = loadConfig({});
    assert.equal(c.port, 8080);
    assert.equal(c.databaseUrl, undefined);
    assert.equal(c.publicUrl, 'http://localhost:8080');
    assert.equal(c.taName, 'http://localhost:8080');
    assert.equal(c.kek, undefined);
  });

  it('TA_WORKERS: default the cores on PostgreSQL, 1 on PGlite; more than 1 on PGlite is refused', () => {
    assert.equal(loadConfig({}).workers, 1);
    assert.equal(
      loadConfig({ DATABASE_URL: 'postgres://x@127.0.0.1/db' }).workers,
      availableParallelism(),
    );
    assert.equal(
      loadConfig({ DATABASE_URL: 'postgres://x@127.0.0.1/db', TA_WORKERS: '3' }).workers,
      3,
    );
    assert.equal(loadConfig({ TA_WORKERS: '1' }).workers, 1);
    assert.throws(
      () => loadConfig({ TA_WORKERS: '2' }),
      (e: unknown) =>
        e instanceof ConfigError &&
        /TA_WORKERS: must be 1 with the embedded database/.test(e.message),
    );
    assert.throws(
      () => loadConfig({ DATABASE_URL: 'postgres://x@127.0.0.1/db', TA_WORKERS: '0' }),
      /TA_WORKERS/,
    );
  });

  it('accepts a KEK as hex or base64 and strips the trailing slash of the public URL', () => {
    const hex = 'ab'.repeat(32);
    assert.equal(loadConfig({ TA_KEK: hex }).kek?.toString('hex'), hex);
    const b64 = Buffer.alloc(32, 7).toString('base64');
    assert.equal(loadConfig({ TA_KEK: b64 }).kek?.toString('base64'), b64);
    assert.equal(
      loadConfig({ TA_PUBLIC_URL: 'https://ta.example.com/' }).publicUrl,
      'https://ta.example.com',
    );
  });

  it('lists every bad field in one error, without echoing secrets', () => {
    try {
      loadConfig({
        PORT: 'abc',
        DATABASE_URL: 'mysql://x',
        TA_PUBLIC_URL: 'not a url',
        TA_KEK: 'short-secret-value',
        LOG_LEVEL: 'loud',
        TA_ADMIN_TOKEN: 'tiny',
      });
      assert.fail('expected ConfigError');
    } catch (e) {
      assert.ok(e instanceof ConfigError);
      for (const key of [
        'PORT',
        'DATABASE_URL',
        'TA_PUBLIC_URL',
        'TA_KEK',
        'LOG_LEVEL',
        'TA_ADMIN_TOKEN',
      ]) {
        assert.match(e.message, new RegExp(`- ${key}:`), `message names ${key}: ${e.message}`);
      }
      assert.ok(!e.message.includes('short-secret-value'));
      assert.ok(!e.message.includes('tiny'));
    }
  });
});
