// Reverse-DNS names and the rule tying a challenge URL's host to the namespace's domain.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  challengeUrlFor,
  challengeUrlProblem,
  domainOf,
  namespaceProblem,
  namespacesCoveringHost,
  parseServerName,
} from '../../../src/registry/namespace-name.js';

describe('namespace names', () => {
  it('maps a namespace to its domain and a host to the namespaces covering it', () => {
    assert.equal(domainOf('com.example'), 'example.com');
    assert.equal(domainOf('io.github.alice'), 'alice.github.io');
    assert.deepEqual(namespacesCoveringHost('api.eu.example.com'), [
      'com.example',
      'com.example.eu',
      'com.example.eu.api',
    ]);
    assert.deepEqual(namespacesCoveringHost('127.0.0.1'), []);
    assert.deepEqual(namespacesCoveringHost('localhost'), []);
  });

  it('accepts reverse-DNS names of two or more labels only, in any case (issue 17: official mixed-case names)', () => {
    for (const ok of [
      'com.example',
      'io.github.alice',
      'org.x-y.z9',
      'Com.Example',
      'io.github.jUXTAPOSITION1',
    ])
      assert.equal(namespaceProblem(ok), undefined, ok);
    for (const bad of [
      'com',
      'com..example',
      '-com.example',
      'com.example-',
      'com/example',
      `com.${'a'.repeat(64)}`,
    ]) {
      assert.notEqual(namespaceProblem(bad), undefined, bad);
    }
  });

  it('parses namespace/name server names', () => {
    assert.deepEqual(parseServerName('com.example/weather'), {
      namespace: 'com.example',
      localName: 'weather',
    });
    // The namespace (ownership) in lower case; the name part as published.
    assert.deepEqual(parseServerName('io.github.jUXTAPOSITION1/Vape'), {
      namespace: 'io.github.juxtaposition1',
      localName: 'Vape',
    });
    for (const bad of [
      'weather',
      'com.example/',
      'com.example/a/b',
      'com/weather',
      'com.example/wea ther',
    ]) {
      assert.equal(typeof parseServerName(bad), 'string', bad);
    }
  });

  it('requires the challenge URL to be https on the namespace domain or a subdomain', () => {
    assert.equal(challengeUrlProblem('com.example', 'https://example.com', false), undefined);
    assert.equal(
      challengeUrlProblem('com.example', 'https://www.example.com/prefix', false),
      undefined,
    );
    assert.match(challengeUrlProblem('com.example', 'http://example.com', false)!, /https/);
    assert.match(
      challengeUrlProblem('com.example', 'https://example.com.evil.net', false)!,
      /example\.com/,
    );
    assert.match(
      challengeUrlProblem('com.example', 'https://notexample.com', false)!,
      /example\.com/,
    );
    assert.match(
      challengeUrlProblem('com.example', 'https://127.0.0.1:8443', false)!,
      /example\.com/,
    );
    assert.match(
      challengeUrlProblem('com.example', 'https://user:pw@example.com', false)!,
      /credentials/,
    );
  });

  it('accepts plain http and loopback URLs for any namespace only when private challenges are allowed', () => {
    assert.equal(challengeUrlProblem('com.example', 'http://127.0.0.1:8080', true), undefined);
    assert.equal(challengeUrlProblem('com.example', 'http://localhost:8080', true), undefined);
    assert.match(challengeUrlProblem('com.example', 'http://10.0.0.1', true)!, /example\.com/);
    assert.equal(
      challengeUrlFor('https://example.com/', 'abc'),
      'https://example.com/.well-known/mcps-challenge/abc',
    );
  });
});
