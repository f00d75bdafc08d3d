import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  generateToken,
  hashTokenSecret,
  tokenIdOf,
  tokenMatches,
} from '../../../src/crypto/secret-token.js';

describe('API token secrets', () => {
  it('have a recognisable prefix, embed their id and carry 256 bits of secret', () => {
    const t = generateToken();
    assert.match(t.token, /^mcpsta_tok_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    assert.equal(tokenIdOf(t.token), t.id);
    assert.equal(t.secretHash, hashTokenSecret(t.token));
    assert.ok(!t.secretHash.includes(t.token.slice(-43)));
  });

  it('are never equal twice', () => {
    const seen = new Set(Array.from({ length: 1000 }, () => generateToken().token));
    assert.equal(seen.size, 1000);
  });

  it('match only their own hash', () => {
    const a = generateToken();
    const b = generateToken();
    assert.ok(tokenMatches(a.token, a.secretHash));
    assert.ok(!tokenMatches(b.token, a.secretHash));
    assert.ok(!tokenMatches(a.token, 'not-hex'));
  });
});
