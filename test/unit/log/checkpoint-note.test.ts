// The checkpoint's C2SP signed note (src/log/checkpoint.ts) against the verifier library's note
// check (src/verifier/log-note.ts): a TA name with spaces still gives a note whose key name and
// verifier key follow the signed-note rules (no whitespace, no '+'); a changed byte fails.
import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { createP256Signer } from '../../../src/crypto/signer.js';
import { noteKeyName, noteVerifierKey, signCheckpoint } from '../../../src/log/checkpoint.js';
import { checkCheckpointNote, parseNoteVerifierKey } from '../../../src/verifier/log-note.js';
import type { LogCheckpoint } from '../../../src/verifier/log.js';

function signed(origin: string) {
  const ed = generateKeyPairSync('ed25519');
  const raw = Buffer.from((ed.publicKey.export({ format: 'jwk' }) as { x: string }).x, 'base64url');
  const document = createP256Signer(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
  const root = Buffer.alloc(32, 7);
  const c = signCheckpoint(
    { origin, document, note: { name: origin, publicKey: raw, privateKey: ed.privateKey } },
    5,
    root,
    new Date('2026-01-01T00:00:00Z'),
  );
  return { c, verifierKey: noteVerifierKey(origin, raw), publicKey: ed.publicKey };
}

describe('checkpoint signed note', () => {
  it('a key name never holds whitespace or +; a compliant origin is unchanged', () => {
    assert.equal(noteKeyName('Example Trust Authority/log'), 'Example_Trust_Authority/log');
    assert.equal(noteKeyName('a+b \t c/log'), 'a_b_c/log');
    assert.equal(noteKeyName('ta.example.com/log'), 'ta.example.com/log');
  });

  for (const origin of ['ta.example.com/log', 'Example Trust Authority/log']) {
    it(`verifies with the anchors' verifier key, and not once changed (origin ${JSON.stringify(origin)})`, () => {
      const { c, verifierKey, publicKey } = signed(origin);
      const v = parseNoteVerifierKey(verifierKey);
      assert.ok(v, verifierKey);
      assert.equal(v.name, noteKeyName(origin));
      assert.ok(v.key.equals(createPublicKey(publicKey.export({ format: 'pem', type: 'spki' }))));
      assert.ok(
        c.note!.startsWith(
          `${origin}\n5\n${Buffer.alloc(32, 7).toString('base64')}\n\n\u2014 ${noteKeyName(origin)} `,
        ),
      );
      const cp = c.document as unknown as LogCheckpoint;
      assert.deepEqual(checkCheckpointNote(c.note, cp, [v]), {
        ok: true,
        value: { keyName: noteKeyName(origin) },
      });
      const sig = c.note!.slice(c.note!.lastIndexOf(' ') + 1, -1);
      const bytes = Buffer.from(sig, 'base64');
      bytes[bytes.length - 1]! ^= 1;
      const bad = checkCheckpointNote(c.note!.replace(sig, bytes.toString('base64')), cp, [v]);
      assert.equal(bad.ok, false);
      assert.equal(!bad.ok && bad.reason, 'note-bad-signature');
      const other = checkCheckpointNote(c.note, { ...cp, tree_size: 6 }, [v]);
      assert.equal(!other.ok && other.reason, 'note-mismatch');
    });
  }
});
