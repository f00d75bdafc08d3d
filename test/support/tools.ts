// Independent verifiers on this machine: openssl and Python `cryptography` (STACK-NOTES.md).
import { execFileSync, spawn, spawnSync } from 'node:child_process';

let python: string | undefined;

/** A python3 that can import `cryptography` (pyenv's or Debian's python3-cryptography). */
export function pythonWithCryptography(): string {
  if (python) return python;
  for (const candidate of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(candidate, ['-c', 'import cryptography'], { stdio: 'ignore' });
    if (r.status === 0) return (python = candidate);
  }
  throw new Error('no python3 with the cryptography package: apt-get install python3-cryptography');
}

/** Runs a Python script with `input` on stdin; returns stdout. Throws with stderr on failure. */
export function runPython(script: string, input: string): string {
  const r = spawnSync(pythonWithCryptography(), ['-c', script], { input, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

/** Runs openssl; returns combined stdout+stderr and the exit status. */
export function openssl(
  args: string[],
  input?: string | Buffer,
): { status: number; output: string } {
  const r = spawnSync('openssl', args, { input, encoding: 'utf8' });
  return { status: r.status ?? -1, output: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

/**
 * openssl without blocking the event loop: needed when openssl talks to a service listening in
 * this same process (spawnSync would deadlock it).
 */
export function opensslAsync(args: string[]): Promise<{ status: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ status: code ?? -1, output }));
  });
}

export function hasCommand(cmd: string, args: string[] = ['--version']): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
