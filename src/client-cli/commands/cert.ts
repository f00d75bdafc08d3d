// `mcps-ta cert request --server NS/NAME | --passport ID` and `cert renew [--daemon]`: make the key
// and the CSR, ask the TA, and write the leaf (NAME.crt), the chain (NAME.chain.pem: issuing CA,
// then root) and the key (NAME.key, 0600). Renewal keeps the key unless --rekey, and replaces the
// files whole (temporary file + rename), so a server reading them never sees half a certificate.
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { writeFileAtomic } from '../config-store.js';
import type { Ctx } from '../context.js';
import { makeCsr } from '../csr.js';
import { CLIENT_EXIT, CliError, usage } from '../exit-codes.js';
import { assertNoKeyFile, generateKey, readKeyFile, writeKeyFile, type KeyPair } from '../keys.js';
import { runRenewDaemon } from './renew-daemon.js';

interface IssuedView {
  serial: string;
  certificate: string;
  chain: string;
  not_after: string;
  subject: string;
  sans: string[];
  profile: 'server' | 'client';
}

export interface CertFiles {
  cert: string;
  chain: string;
  key: string;
}

/** NAME.crt → NAME.chain.pem and NAME.key. */
export function filesOf(certFile: string, keyFile?: string): CertFiles {
  const base = certFile.replace(/\.(crt|pem|cer)$/, '');
  return { cert: certFile, chain: `${base}.chain.pem`, key: keyFile ?? `${base}.key` };
}

export function readCertificate(file: string): X509Certificate {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(
      CLIENT_EXIT.file,
      `cannot read certificate ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'}): pass the .crt that mcps-ta cert request wrote`,
    );
  }
  try {
    return new X509Certificate(pem);
  } catch {
    throw new CliError(CLIENT_EXIT.file, `${file} is not a PEM certificate`);
  }
}

function writeIssued(files: CertFiles, issued: IssuedView): void {
  writeFileAtomic(files.chain, issued.chain.endsWith('\n') ? issued.chain : `${issued.chain}\n`);
  writeFileAtomic(
    files.cert,
    issued.certificate.endsWith('\n') ? issued.certificate : `${issued.certificate}\n`,
  );
}

async function request(ctx: Ctx, argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      server: { type: 'string' },
      passport: { type: 'string' },
      out: { type: 'string' },
      key: { type: 'string' },
      'validity-days': { type: 'string' },
    },
  });
  if (!!values.server === !!values.passport)
    throw usage(
      'pass --server NS/NAME (a server certificate) or --passport ID (a client certificate)',
    );
  const profile = values.server ? 'server' : 'client';
  const subject = (values.server ?? values.passport)!;
  const base = values.out ?? (values.server ? subject.split('/').pop()! : subject);
  const files = filesOf(`${base}.crt`, values.key);
  for (const f of [files.cert, files.chain])
    if (existsSync(f))
      throw new CliError(
        CLIENT_EXIT.file,
        `${f} exists: pass --out BASE to write elsewhere, or renew it with mcps-ta cert renew --cert ${files.cert}`,
      );
  const token = ctx.config.token();
  // A new key is written only with the certificate it belongs to: a refused request leaves nothing.
  const existing = values.key !== undefined && existsSync(values.key);
  if (!existing) assertNoKeyFile(files.key);
  const key: KeyPair = existing ? readKeyFile(values.key!, ctx.io.stderr) : generateKey(files.key);
  const csr = await makeCsr(key.privateKey, key.publicKey, subject);
  const body: Record<string, unknown> = { csr, profile, subject };
  if (values['validity-days']) body.validity_days = Number(values['validity-days']);
  ctx.progress(`requesting a ${profile} certificate for ${subject}`);
  const issued = await ctx.ta().post<IssuedView>('/v1/certificates', body, { token });
  if (!existing) writeKeyFile(key);
  writeIssued(files, issued);
  ctx.io.stderr(
    `certificate ${issued.serial} for ${issued.sans.join(', ')} until ${issued.not_after}: ${files.cert} (leaf), ${files.chain} (issuing CA + root), ${files.key} (key)`,
  );
  ctx.io.stdout(issued.serial);
}

/** Renews the certificate in `files` once; returns the new certificate. */
export async function renewOnce(
  ctx: Ctx,
  files: CertFiles,
  o: { rekey?: boolean; validityDays?: number } = {},
): Promise<X509Certificate> {
  const current = readCertificate(files.cert);
  const serial = current.serialNumber.toLowerCase();
  const token = ctx.config.token();
  // --rekey: the new key replaces the old file only once the TA issued its certificate.
  const pair = o.rekey ? generateKey(files.key) : readKeyFile(files.key, ctx.io.stderr);
  const csr = await makeCsr(
    pair.privateKey,
    pair.publicKey,
    current.subject
      .split('\n')
      .find((l) => l.startsWith('CN='))
      ?.slice(3) ?? serial,
  );
  // Same lifetime as the certificate it replaces unless asked otherwise (as step ca renew does).
  const days =
    o.validityDays ??
    Math.min(
      90,
      Math.max(
        1,
        Math.round((Date.parse(current.validTo) - Date.parse(current.validFrom)) / 86_400_000),
      ),
    );
  const body: Record<string, unknown> = { csr, validity_days: days };
  ctx.progress(
    `renewing certificate ${serial} (expires ${new Date(current.validTo).toISOString()})`,
  );
  const issued = await ctx
    .ta()
    .post<IssuedView>(`/v1/certificates/${serial}/renew`, body, { token });
  if (o.rekey) writeKeyFile(pair, { replace: true });
  writeIssued(files, issued);
  ctx.io.stderr(`renewed: certificate ${issued.serial} until ${issued.not_after} in ${files.cert}`);
  return new X509Certificate(issued.certificate);
}

async function renew(ctx: Ctx, argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      cert: { type: 'string' },
      key: { type: 'string' },
      rekey: { type: 'boolean' },
      'validity-days': { type: 'string' },
      daemon: { type: 'boolean' },
      'expires-in': { type: 'string' },
      exec: { type: 'string' },
      pid: { type: 'string' },
      'pid-file': { type: 'string' },
    },
  });
  if (!values.cert)
    throw usage('--cert FILE is required: the .crt written by mcps-ta cert request');
  const files = filesOf(path.normalize(values.cert), values.key);
  const validityDays = values['validity-days'] ? Number(values['validity-days']) : undefined;
  if (!values.daemon) {
    for (const flag of ['expires-in', 'exec', 'pid', 'pid-file'] as const)
      if (values[flag] !== undefined) throw usage(`--${flag} goes with --daemon`);
    const cert = await renewOnce(ctx, files, { rekey: values.rekey, validityDays });
    ctx.io.stdout(cert.serialNumber.toLowerCase());
    return;
  }
  if (values.exec && (values.pid || values['pid-file']))
    throw usage('pass --exec CMD or --pid/--pid-file, not both');
  await runRenewDaemon(ctx, files, {
    rekey: values.rekey,
    validityDays,
    expiresIn: values['expires-in'],
    exec: values.exec,
    pid: values.pid,
    pidFile: values['pid-file'],
  });
}

export async function cert(ctx: Ctx, argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub === 'request') return request(ctx, rest);
  if (sub === 'renew') return renew(ctx, rest);
  throw usage('mcps-ta cert request|renew … (mcps-ta --help)');
}
