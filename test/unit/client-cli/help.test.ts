// Issue 15, acceptance 4 (the CLI part): `mcps-ta --help` lists every command — the client
// commands and, under `admin`, every operator command of src/cli.ts — and README names each one.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { entryArgs } from '../../support/process.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');

function run(
  args: string[],
  script = 'bin/mcps-ta.mjs',
): { status: number | null; stdout: string } {
  const r = spawnSync(
    process.execPath,
    script.endsWith('.mjs') ? [script, ...args] : [...entryArgs(script), ...args],
    { cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent' } },
  );
  return { status: r.status, stdout: r.stdout };
}

/** Command names of a help text: "bootstrap", "passport request", "admin create-token", … */
function commandsOf(help: string): string[] {
  const names = new Set<string>();
  for (const line of help.split('\n')) {
    const m = /^ {2}([a-z][a-z-]*)(?: ([a-z][a-z-]*))?(?: ([a-z][a-z-]*))?(?=\s|$)/.exec(line);
    if (!m) continue;
    const [, first, second, third] = m;
    // `admin registry import`: an operator command of two words under `admin`.
    if (first === 'admin' && second && third) names.add(`admin ${second} ${third}`);
    else names.add(first === 'help' ? 'help' : second ? `${first} ${second}` : first!);
  }
  return [...names];
}

describe('mcps-ta --help and README', () => {
  const help = run(['--help']);
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const commands = commandsOf(help.stdout);

  it('prints the help with exit 0, and exit 2 without a command', () => {
    assert.equal(help.status, 0);
    assert.equal(run([]).status, 2);
  });

  it('lists every client command and every operator command of src/cli.ts under admin', () => {
    for (const c of [
      'bootstrap',
      'login',
      'fingerprint',
      'key new',
      'namespace claim',
      'namespace verify',
      'server register',
      'passport request',
      'passport rotate',
      'passport revoke',
      'passport show',
      'cert request',
      'cert renew',
      'manifest publish',
      'manifest diff',
      'verify',
      'status',
    ]) {
      assert.ok(commands.includes(c), `--help lists ${c}`);
    }
    const operator = commandsOf(run(['help'], 'src/cli.ts').stdout).filter(
      (c) => c !== 'help' && c !== 'verify',
    );
    assert.ok(operator.length >= 5, `read the operator commands: ${operator.join(', ')}`);
    for (const c of operator) assert.ok(commands.includes(`admin ${c}`), `--help lists admin ${c}`);
  });

  it('admin runs src/cli.ts: mcps-ta admin help prints the operator help, as npm run ta -- help does', () => {
    const viaAdmin = run(['admin', 'help']);
    assert.equal(viaAdmin.status, 0);
    assert.equal(viaAdmin.stdout, run(['help'], 'src/cli.ts').stdout);
    assert.match(viaAdmin.stdout, /create-admin-token/);
  });

  it('README names every command of --help', () => {
    for (const c of commands) {
      if (c === 'help') continue;
      const admin = /^admin (.+)$/.exec(c)?.[1];
      // Operator commands are listed in README's operator table (they also run as mcps-ta admin …).
      const listed =
        readme.includes(`mcps-ta ${c}`) ||
        (admin !== undefined &&
          (admin === 'help'
            ? readme.includes('mcps-ta admin help')
            : readme.includes(`| \`${admin}`)));
      assert.ok(listed, `README lists mcps-ta ${c}`);
    }
  });
});
