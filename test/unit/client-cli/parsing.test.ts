// The small parsers of mcps-ta: fingerprints as people paste them, step-style durations, and the
// operator commands read from src/cli.ts's help text.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normaliseFingerprint } from '../../../src/client-cli/commands/bootstrap.js';
import { parseDuration } from '../../../src/client-cli/commands/renew-daemon.js';
import { CliError } from '../../../src/client-cli/exit-codes.js';
import { adminEntries, fullHelp } from '../../../src/client-cli/help.js';

const HEX = '9cb5b0122c5f04d93363ea9c55b438116d4d58f05676df81c0b43e2facd04aa2';

describe('mcps-ta parsing', () => {
  it('takes a fingerprint with or without colons, in either case, with a sha256 prefix; refuses anything else as usage (exit 2)', () => {
    const colons = HEX.toUpperCase().match(/../g)!.join(':');
    for (const s of [HEX, HEX.toUpperCase(), colons, `SHA256:${HEX}`, `sha256=${colons}`])
      assert.equal(normaliseFingerprint(s), HEX, s);
    for (const s of [HEX.slice(2), `${HEX}00`, 'zz'.repeat(32), `sha1:${HEX}`]) {
      assert.throws(
        () => normaliseFingerprint(s),
        (e: unknown) => e instanceof CliError && e.code === 2,
        s,
      );
    }
  });

  it('parses durations such as 8h, 90m, 1h30m, 23h59m50s; refuses others', () => {
    assert.equal(parseDuration('8h'), 8 * 3600_000);
    assert.equal(parseDuration('90m'), 90 * 60_000);
    assert.equal(parseDuration('1h30m'), 90 * 60_000);
    assert.equal(parseDuration('23h59m50s'), (86_400 - 10) * 1000);
    for (const s of ['', '1d', '10', 'h', '1.5h', '-1h'])
      assert.throws(() => parseDuration(s), CliError, s);
  });

  it('lists each operator command of a help text once under admin, with its continuation lines, leaving out help and verify', () => {
    const help = `Usage: x\n\nCommands:\n  one --a B      Does one.\n  two --c D\n                 Does two,\n                 in two lines.\n  verify <x> …\n                 Verifies.\n  help           This text.\n\nMore text.\n`;
    assert.deepEqual(adminEntries(help), [
      ['  one --a B      Does one.'],
      ['  two --c D', '                 Does two,', '                 in two lines.'],
    ]);
    const full = fullHelp(help);
    assert.match(full, /^ {2}admin one --a B/m);
    assert.match(full, /^ {2}admin two --c D\n {17}Does two,/m);
    assert.doesNotMatch(full, /admin verify|admin help {2}\s+This text/);
  });
});
