// `mcps-ta bootstrap --ta URL --fingerprint SHA256` (trust on first use pinned to the root CA,
// like `step ca bootstrap`) and `mcps-ta login --token TOKEN`.
//
// Bootstrap fetches the CA certificates, accepts them only when one of them is a self-signed CA
// whose SHA-256 fingerprint (of the DER) is the one given, then fetches the trust anchors and
// accepts them only when they verify (self-signed, unexpired), name the TA of the discovery
// document, and list that same root — with every intermediate they list issued by it. Nothing is
// written before all of that holds. What the fingerprint proves: the root CA (the X.509 side).
// The anchors' passport-signing keys are not signed by the root; they are trusted on first use
// from the TA reached at that URL (use https), and every later version must be signed by the
// previous one (`verify` walks them).
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { AnchorsDocument } from '../../keys/anchors.js';
import { checkTrustedAnchors } from '../../verifier/anchors.js';
import type { Ctx } from '../context.js';
import { CLIENT_EXIT, CliError, usage } from '../exit-codes.js';
import { taBaseUrl, taClient } from '../ta-client.js';

const PEM = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Hex of a fingerprint as people paste it: `AB:CD…`, `abcd…`, `SHA256:…`, `sha256:…`. */
export function normaliseFingerprint(s: string): string {
  const hex = s
    .replace(/^sha-?256[:=]/i, '')
    .replace(/[:\s]/g, '')
    .toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(hex))
    throw usage(
      '--fingerprint must be the 64 hex digits of the root CA SHA-256 fingerprint (colons allowed), e.g. from mcps-ta fingerprint root.pem',
    );
  return hex;
}

const fingerprintOf = (c: X509Certificate) => c.fingerprint256.replace(/:/g, '').toLowerCase();

/** Certificates in a PEM text. */
function certificates(pem: string, what: string): X509Certificate[] {
  const blocks = pem.match(PEM) ?? [];
  try {
    return blocks.map((b) => new X509Certificate(b));
  } catch {
    throw new CliError(
      CLIENT_EXIT.trustMaterialInvalid,
      `${what} holds a certificate that does not parse: do not trust this TA`,
    );
  }
}

export async function bootstrap(ctx: Ctx, argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: { ta: { type: 'string' }, fingerprint: { type: 'string' } },
  });
  if (!values.ta) throw usage('--ta URL is required (the TA base URL)');
  if (!values.fingerprint)
    throw usage(
      '--fingerprint SHA256 is required: ask the TA operator for the root CA fingerprint (mcps-ta fingerprint on their copy of the root)',
    );
  const url = taBaseUrl(values.ta);
  const pinned = normaliseFingerprint(values.fingerprint);
  const ta = taClient(url, ctx.io.fetch);

  ctx.progress(`fetching the CA certificates of ${url}`);
  const caPem = await ta.getText('/v1/trust/ca.pem');
  const certs = certificates(caPem, `${url}/v1/trust/ca.pem`);
  const root = certs.find((c) => fingerprintOf(c) === pinned);
  if (!root) {
    const seen = certs.map(fingerprintOf).join(', ') || 'no certificate';
    throw new CliError(
      CLIENT_EXIT.fingerprintMismatch,
      `the TA at ${url} serves no root CA with fingerprint ${pinned} (it serves ${seen}): nothing was stored — check the URL and the fingerprint with the TA operator`,
    );
  }
  if (!root.ca || !root.checkIssued(root) || !root.verify(root.publicKey)) {
    throw new CliError(
      CLIENT_EXIT.trustMaterialInvalid,
      `the certificate with fingerprint ${pinned} is not a self-signed CA: pin the root CA's fingerprint, not a leaf's or an intermediate's`,
    );
  }
  const now = new Date();
  if (Date.parse(root.validTo) <= now.getTime())
    throw new CliError(
      CLIENT_EXIT.trustMaterialInvalid,
      `the pinned root CA expired on ${root.validTo}: ask the TA operator for the new root`,
    );

  ctx.progress('fetching the discovery document and trust anchors');
  const discovery = await ta.get<{ issuer?: unknown }>('/.well-known/mcps-trust-authority');
  if (typeof discovery.issuer !== 'string')
    throw new CliError(
      CLIENT_EXIT.trustMaterialInvalid,
      `${url} has no MCPS discovery document: is it a Trust Authority?`,
    );
  const raw = await ta.get<unknown>('/v1/trust/anchors');
  const checked = checkTrustedAnchors(raw, now, false);
  if (!checked.ok)
    throw new CliError(CLIENT_EXIT.trustMaterialInvalid, `${checked.message}: nothing was stored`);
  const anchors: AnchorsDocument = checked.value;
  if (anchors.issuer !== discovery.issuer)
    throw new CliError(
      CLIENT_EXIT.trustMaterialInvalid,
      `the trust anchors name ${anchors.issuer}, the discovery document ${discovery.issuer}: nothing was stored — tell the TA operator`,
    );
  const listed = anchors.ca_certificates.flatMap((c) =>
    certificates(c.pem, 'the trust anchors').map((x) => ({ role: c.role, x })),
  );
  if (!listed.some((c) => c.role === 'root' && c.x.raw.equals(root.raw))) {
    throw new CliError(
      CLIENT_EXIT.trustMaterialInvalid,
      "the trust anchors do not list the pinned root CA: they are not this TA's — nothing was stored",
    );
  }
  const strays = listed.filter(
    (c) => c.role === 'intermediate' && !(c.x.checkIssued(root) && c.x.verify(root.publicKey)),
  );
  if (strays.length > 0)
    throw new CliError(
      CLIENT_EXIT.trustMaterialInvalid,
      `the trust anchors list ${strays.length} intermediate CA(s) the pinned root did not issue: nothing was stored`,
    );

  const previous = ctx.config.current();
  if (previous && previous.ta_url !== url) {
    ctx.config.removeToken();
    ctx.io.stderr(
      `replacing the TA ${previous.ta_url}: its API token was removed (run mcps-ta login for ${url})`,
    );
  }
  ctx.config.saveBootstrap(
    {
      ta_url: url,
      issuer: anchors.issuer,
      root_sha256: pinned,
      bootstrapped_at: now.toISOString(),
    },
    `${root.toString().trim()}\n`,
    anchors,
  );
  ctx.io.stdout(
    `bootstrapped ${anchors.issuer} at ${url}: root CA ${root.subject.replace(/\n/g, ', ')} (SHA-256 ${pinned}), trust anchors v${anchors.version} — stored in ${ctx.config.dir}`,
  );
}

export async function login(ctx: Ctx, argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: { token: { type: 'string' }, 'token-file': { type: 'string' } },
  });
  let token = values.token;
  if (values['token-file']) {
    try {
      token = readFileSync(values['token-file'], 'utf8').trim();
    } catch (err) {
      throw new CliError(
        CLIENT_EXIT.file,
        `cannot read ${values['token-file']}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`,
      );
    }
  }
  if (!token)
    throw usage(
      '--token TOKEN (or --token-file FILE) is required: a publisher API token from your TA admin',
    );
  ctx.progress('checking the token with the TA');
  // Any token may list namespaces: a 401 here means the TA does not know the token.
  await ctx.ta().get('/v1/namespaces', { token });
  ctx.config.saveToken(token);
  ctx.io.stdout(
    `logged in to ${ctx.config.ta().ta_url}; token stored in ${ctx.config.dir}/token (mode 0600)`,
  );
}

/** `mcps-ta fingerprint FILE`: the SHA-256 fingerprint of the first certificate of a PEM file. */
export async function fingerprint(ctx: Ctx, argv: string[]): Promise<void> {
  const { positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: {},
  });
  const file = positionals[0];
  if (!file) throw usage('mcps-ta fingerprint FILE: a PEM certificate file (e.g. the root CA)');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(
      CLIENT_EXIT.file,
      `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
  const [first] = certificates(text, file);
  if (!first) throw new CliError(CLIENT_EXIT.file, `${file} holds no PEM certificate`);
  ctx.io.stdout(fingerprintOf(first));
}
