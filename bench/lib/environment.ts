// The machine a benchmark ran on, for the report.
import { execFileSync } from 'node:child_process';
import os from 'node:os';

export function machineDescription(): string {
  const cpus = os.cpus();
  let opensslVersion = 'unknown';
  try {
    opensslVersion = execFileSync('openssl', ['version'], { encoding: 'utf8' }).trim();
  } catch {
    // no openssl
  }
  return [
    `${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}`,
    `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM`,
    `${os.type()} ${os.release()}`,
    `Node ${process.version}`,
    opensslVersion,
  ].join(', ');
}
