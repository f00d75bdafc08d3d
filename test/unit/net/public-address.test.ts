// The one address classifier of server-side fetches (namespace challenges and webhooks): every
// spelling of a loopback, private, link-local or deprecated IPv6 address is non-public, and the
// absolute name `localhost.` is loopback like `localhost`.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isLoopbackHost, isPublicAddress } from '../../../src/net/public-address.js';
import { checkWebhookUrl } from '../../../src/webhooks/webhook-url.js';

describe('public address classifier', () => {
  it('refuses IPv4-compatible, IPv4-mapped and IPv4-translated forms of non-public IPv4', () => {
    for (const a of [
      '::127.0.0.1',
      '::7f00:1',
      '::a9fe:a9fe',
      '::169.254.169.254',
      '::ffff:127.0.0.1',
      '::FFFF:7F00:1',
      '0:0:0:0:0:ffff:7f00:1',
      '::ffff:0:a9fe:a9fe',
      '::ffff:10.0.0.1',
      '::8.8.8.8',
    ]) {
      assert.equal(isPublicAddress(a), false, a);
    }
  });

  it('refuses deprecated site-local fec0::/10 next to unique-local and link-local', () => {
    for (const a of ['fec0::1', 'feff:ffff::1', 'fc00::1', 'fe80::1', '::', '::1'])
      assert.equal(isPublicAddress(a), false, a);
  });

  it('accepts global unicast in every spelling', () => {
    for (const a of [
      '8.8.8.8',
      '2606:4700:4700::1111',
      '2606:4700:4700:0:0:0:0:1111',
      '::ffff:8.8.8.8',
    ])
      assert.equal(isPublicAddress(a), true, a);
  });

  it('counts localhost. and bracketed IPv4-compatible loopback as loopback', () => {
    for (const h of [
      'localhost',
      'localhost.',
      'LOCALHOST..',
      'a.localhost.',
      '[::1]',
      '[::127.0.0.1]',
      '[::ffff:127.0.0.1]',
      '127.1.2.3',
    ])
      assert.equal(isLoopbackHost(h), true, h);
    assert.equal(isLoopbackHost('example.com'), false);
  });

  it('the webhook URL check refuses each of them at registration', () => {
    for (const url of [
      'https://[::127.0.0.1]/h',
      'https://[::a9fe:a9fe]/h',
      'https://[fec0::1]/h',
      'https://localhost./h',
      'https://[::ffff:7f00:1]/h',
    ]) {
      assert.throws(() => checkWebhookUrl(url, false), /must point to a public address/, url);
    }
    assert.equal(
      checkWebhookUrl('https://hooks.example.com/h', false),
      'https://hooks.example.com/h',
    );
  });
});
