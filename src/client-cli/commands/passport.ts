// `mcps-ta key new`, `passport request|rotate|revoke|show`: the proofs of possession and the
// rotation statement are made here (proofs.ts), so an operator never writes a JWS by hand.
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Ctx } from '../context.js';
import { CLIENT_EXIT, CliError, usage } from '../exit-codes.js';
import { jwkFileOf, newKeyFile, readKeyFile } from '../keys.js';
import { possessionProof, rotationStatement } from '../proofs.js';
import { writeFileAtomic } from '../config-store.js';
import { REVOCATION_REASONS } from '../../crypto/x509/reason-code.js';

const PASSPORT_ID = /^asp_[0-9a-f]{32}$/;
/** The reasons the TA accepts (RFC 5280 CRLReason names). */
const REASONS: readonly string[] = REVOCATION_REASONS;

interface PassportView {
  passport_id: string;
  status: string;
  subject_type: 'agent' | 'server';
  subject_name: string;
  trust_level: number;
  kid: string;
  expires_at: string;
  superseded_by: string | null;
  revocation_reason: string | null;
  passport: Record<string, unknown>;
}

function passportId(value: string | undefined, what = 'passport ID'): string {
  if (!value) throw usage(`${what} is required (asp_ followed by 32 hex digits)`);
  if (!PASSPORT_ID.test(value))
    throw usage(
      `${JSON.stringify(value)} is not a passport id (asp_ followed by 32 lowercase hex digits)`,
    );
  return value;
}

export async function keyNew(ctx: Ctx, argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: { out: { type: 'string' } },
  });
  if (positionals[0] !== 'new' || positionals.length > 1) throw usage('mcps-ta key new --out FILE');
  if (!values.out)
    throw usage('--out FILE is required: where to write the private key (PKCS#8 PEM, mode 0600)');
  const key = newKeyFile(values.out);
  ctx.io.stderr(
    `wrote ${values.out} (private key, PKCS#8 PEM, mode 0600) and ${jwkFileOf(values.out)} (public JWK)`,
  );
  ctx.io.stdout(key.kid);
}

async function challenge(ctx: Ctx, token: string): Promise<{ nonce: string; aud: string }> {
  ctx.progress('asking the TA for a proof-of-possession challenge');
  const c = await ctx
    .ta()
    .post<{ nonce: string; aud: string }>('/v1/passports/challenge', {}, { token });
  return c;
}

/** Writes the signed passport document itself (what `verify passport` and relying parties take). */
function savePassportFile(out: string | undefined, view: PassportView): void {
  if (out) writeFileAtomic(out, `${JSON.stringify(view.passport, null, 2)}\n`);
}

async function request(ctx: Ctx, argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      name: { type: 'string' },
      server: { type: 'string' },
      key: { type: 'string' },
      capability: { type: 'string', multiple: true },
      version: { type: 'string' },
      origin: { type: 'string' },
      'ttl-days': { type: 'string' },
      out: { type: 'string' },
    },
  });
  if (values.name && values.server)
    throw usage('pass --name NAME (an agent) or --server NS/NAME (a registered server), not both');
  if (!values.name && !values.server)
    throw usage(
      '--name NAME (an agent passport) or --server NS/NAME (a server passport) is required',
    );
  if (!values.key)
    throw usage(
      '--key FILE is required: the passport key (make one with mcps-ta key new --out FILE)',
    );
  const token = ctx.config.token();
  const key = readKeyFile(values.key, ctx.io.stderr);
  const c = await challenge(ctx, token);
  const proof = await possessionProof(key.privateKey, c);
  const body: Record<string, unknown> = {
    subject_type: values.server ? 'server' : 'agent',
    name: values.server ?? values.name,
    public_key: key.jwk,
    proof,
  };
  if (values.capability) body.capabilities = values.capability;
  if (values.version) body.version = values.version;
  if (values.origin) body.origin = values.origin;
  if (values['ttl-days']) body.ttl_days = Number(values['ttl-days']);
  ctx.progress(`requesting a ${body.subject_type} passport for ${String(body.name)}`);
  const view = await ctx.ta().post<PassportView>('/v1/passports', body, { token });
  ctx.config.savePassport({
    passport_id: view.passport_id,
    key_file: path.resolve(values.key),
    subject_type: view.subject_type,
    name: view.subject_name,
  });
  savePassportFile(values.out, view);
  ctx.io.stderr(
    `passport ${view.passport_id}: ${view.subject_type} ${view.subject_name}, trust level ${view.trust_level}, expires ${view.expires_at}${values.out ? `; written to ${values.out}` : ''}`,
  );
  ctx.io.stdout(view.passport_id);
}

async function rotate(ctx: Ctx, argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: {
      key: { type: 'string' },
      'new-key': { type: 'string' },
      'ttl-days': { type: 'string' },
      out: { type: 'string' },
    },
  });
  const id = passportId(positionals[0]);
  if (!values['new-key'])
    throw usage(
      '--new-key FILE is required: the key to rotate to (made there when the file does not exist)',
    );
  const known = ctx.config.passports()[id];
  const oldFile = values.key ?? known?.key_file;
  if (!oldFile)
    throw usage(
      `--key FILE is required: this CLI did not request ${id}, so it does not know its current key`,
    );
  const token = ctx.config.token();
  const oldKey = readKeyFile(oldFile, ctx.io.stderr);
  let newKey;
  try {
    newKey = readKeyFile(values['new-key']);
  } catch (err) {
    if (!(err instanceof CliError) || !/cannot read/.test(err.message)) throw err;
    newKey = newKeyFile(values['new-key']);
    ctx.io.stderr(`made a new key in ${values['new-key']} (mode 0600)`);
  }
  if (newKey.kid === oldKey.kid)
    throw new CliError(
      CLIENT_EXIT.keyFile,
      '--new-key holds the same key as the passport: rotate to a new key (mcps-ta key new)',
    );
  const c = await challenge(ctx, token);
  // One nonce, two signatures: the new key proves possession, the old key vouches for the new kid.
  const proof = await possessionProof(newKey.privateKey, c);
  const rotation = await rotationStatement(oldKey.privateKey, {
    passportId: id,
    newKid: newKey.kid,
    nonce: c.nonce,
  });
  const body: Record<string, unknown> = { public_key: newKey.jwk, proof, rotation };
  if (values['ttl-days']) body.ttl_days = Number(values['ttl-days']);
  ctx.progress(`rotating ${id} to key ${newKey.kid}`);
  const view = await ctx.ta().post<PassportView>(`/v1/passports/${id}/rotate`, body, { token });
  ctx.config.savePassport({
    passport_id: view.passport_id,
    key_file: path.resolve(values['new-key']),
    subject_type: view.subject_type,
    name: view.subject_name,
  });
  if (known) ctx.config.savePassport({ ...known, superseded_by: view.passport_id });
  savePassportFile(values.out, view);
  ctx.io.stderr(
    `${id} is superseded by ${view.passport_id} (key ${newKey.kid}); the old key's certificates are revoked as superseded`,
  );
  ctx.io.stdout(view.passport_id);
}

async function revoke(ctx: Ctx, argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: { reason: { type: 'string' } },
  });
  const id = passportId(positionals[0]);
  const reason = values.reason ?? 'unspecified';
  if (!REASONS.includes(reason)) throw usage(`--reason must be one of ${REASONS.join(', ')}`);
  const view = await ctx
    .ta()
    .post<PassportView>(`/v1/passports/${id}/revoke`, { reason }, { token: ctx.config.token() });
  ctx.io.stdout(
    `${view.passport_id} ${view.status} (${view.revocation_reason ?? reason}); its certificates are revoked with it`,
  );
}

async function show(ctx: Ctx, argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, out: { type: 'string' } },
  });
  const id = passportId(positionals[0]);
  const view = await ctx.ta().get<PassportView>(`/v1/passports/${id}`);
  savePassportFile(values.out, view);
  if (values.json) {
    ctx.io.stdout(JSON.stringify(view, null, 2));
    return;
  }
  const known = ctx.config.passports()[id];
  ctx.io.stdout(
    [
      `passport ${view.passport_id}: ${view.status}${view.revocation_reason ? ` (${view.revocation_reason})` : ''}${view.superseded_by ? `, superseded by ${view.superseded_by}` : ''}`,
      `  ${view.subject_type} ${view.subject_name}, trust level ${view.trust_level}, expires ${view.expires_at}`,
      `  key ${view.kid}${known ? ` (${known.key_file})` : ''}`,
    ].join('\n'),
  );
}

export async function passport(ctx: Ctx, argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'request':
      return request(ctx, rest);
    case 'rotate':
      return rotate(ctx, rest);
    case 'revoke':
      return revoke(ctx, rest);
    case 'show':
      return show(ctx, rest);
    default:
      throw usage('mcps-ta passport request|rotate|revoke|show … (mcps-ta --help)');
  }
}
