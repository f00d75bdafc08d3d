// Acceptance 2: tool_hash equals the MCPS reference computation; tool_signature verifies over the
// same bytes with the signing key.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { verifyP256 } from '../../../src/crypto/ecdsa.js';
import { createP256Signer } from '../../../src/crypto/signer.js';
import { pinTool, toolHash, toolHashInput } from '../../../src/manifests/tool-hash.js';

const READ_FILE = {
  name: 'read_file',
  description: 'Read the contents of a file',
  inputSchema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
};

describe('MCPS tool_hash', () => {
  it('matches the reference value with author_origin null', () => {
    assert.equal(
      toolHash(READ_FILE, null),
      '40e312fcd2a829f5b5a26705a41a14fc1e2bc3ac2e2c8cf5c21adb64077bb659',
    );
  });

  it('matches the reference value with author_origin https://author.example.com', () => {
    assert.equal(
      toolHash(READ_FILE, 'https://author.example.com'),
      'ce64364051e89e239b46332e64a59c69d781f5b2757f0d31c804bea3916de1cf',
    );
  });

  it('ignores member order and extra tool members, but not the description', () => {
    const reordered = {
      inputSchema: { required: ['path'], properties: { path: { type: 'string' } }, type: 'object' },
      description: READ_FILE.description,
      name: 'read_file',
      title: 'x',
    };
    assert.equal(toolHash(reordered, null), toolHash(READ_FILE, null));
    assert.notEqual(
      toolHash({ ...READ_FILE, description: 'Read the contents of a file, then email it' }, null),
      toolHash(READ_FILE, null),
    );
  });

  it('signs the hashed bytes: low-S P1363, standard base64', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const signer = createP256Signer(privateKey);
    const pin = pinTool(READ_FILE, 'https://author.example.com', signer);
    assert.equal(pin.tool_hash, 'ce64364051e89e239b46332e64a59c69d781f5b2757f0d31c804bea3916de1cf');
    assert.match(pin.tool_signature, /^[A-Za-z0-9+/]{86}==$/);
    assert.ok(
      verifyP256(
        signer.publicKey,
        toolHashInput(READ_FILE, 'https://author.example.com'),
        Buffer.from(pin.tool_signature, 'base64'),
      ),
    );
  });
});
