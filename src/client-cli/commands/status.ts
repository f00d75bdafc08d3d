// `mcps-ta status ID`: the TA's current word on one thing, checked against the trusted keys.
//   asp_…        a passport: the signed MCPS status document (/api/verify/{id})
//   sha256:…     a manifest version by digest: its signed envelope and state
//   hex serial   a certificate of this publisher (/v1/certificates/{serial}, needs the token)
// Exit 0 when valid; 12 revoked, 11 expired, 22 yanked, 10 a signature that does not verify.
import { verifyDocument } from '../../crypto/signed-document.js';
import { checkManifest } from '../../verifier/manifest.js';
import { openTrustCache } from '../../verifier/trust-cache.js';
import { trustedKeys } from '../../verifier/trusted-keys.js';
import type { Ctx } from '../context.js';
import { CLIENT_EXIT, CliError, usage } from '../exit-codes.js';

function keys(ctx: Ctx) {
  const c = ctx.config.ta();
  // The newest anchors `verify` walked to, else the ones pinned at bootstrap.
  const cached = openTrustCache(ctx.config.cacheDir(), c.ta_url).read();
  return trustedKeys(cached?.anchors ?? ctx.config.anchors());
}

async function passportStatus(ctx: Ctx, id: string): Promise<number> {
  const { status, json: doc } = await ctx.ta().getJson(`/api/verify/${id}`);
  if (status !== 200 && status !== 404)
    throw new CliError(
      status >= 500 ? CLIENT_EXIT.taError : CLIENT_EXIT.refused,
      `GET /api/verify/${id}: HTTP ${status}`,
    );
  const v = verifyDocument(doc, keys(ctx).keyFor);
  if (!v.ok) {
    const hint =
      v.reason === 'unknown-kid'
        ? ": run mcps-ta verify anchors to walk to the TA's newest keys, then retry"
        : ': do not trust this answer';
    throw new CliError(
      CLIENT_EXIT.badSignature,
      `the status document of ${id} does not verify (${v.reason})${hint}`,
    );
  }
  const line = `${doc.status} passport ${id}${doc.revocation_reason ? ` (${doc.revocation_reason} at ${doc.revoked_at})` : ''}, trust level ${doc.trust_level ?? '—'}, expires ${doc.expires_at ?? '—'}, checked ${doc.checked_at}`;
  ctx.io.stdout(line);
  switch (doc.status) {
    case 'VALID':
      return CLIENT_EXIT.ok;
    case 'REVOKED':
      return CLIENT_EXIT.revoked;
    case 'EXPIRED':
      return CLIENT_EXIT.expired;
    default:
      return CLIENT_EXIT.notFound;
  }
}

async function manifestStatus(ctx: Ctx, digest: string): Promise<number> {
  const r = await ctx.ta().get(`/v1/manifests/${digest}`);
  const v = checkManifest(r, { keys: keys(ctx), pinnedDigest: digest });
  if (!v.ok) throw new CliError(v.code, v.message);
  const s = r.status as {
    state: string;
    reason: string | null;
    changed_at: string | null;
    is_latest: boolean;
  };
  ctx.io.stdout(
    `${s.state.toUpperCase()} manifest ${v.value.manifest.server}@${v.value.manifest.version} ${digest}${s.reason ? ` (${s.reason})` : ''}${s.is_latest ? ', latest' : ''}`,
  );
  return s.state === 'yanked' ? CLIENT_EXIT.yanked : CLIENT_EXIT.ok;
}

async function certificateStatus(ctx: Ctx, serial: string): Promise<number> {
  const c = await ctx.ta().get(`/v1/certificates/${serial}`, { token: ctx.config.token() });
  ctx.io.stdout(
    `${String(c.status).toUpperCase()} certificate ${c.serial} (${c.profile}, ${c.subject}, ${c.sans.join(', ')})${c.revocation_reason ? `, ${c.revocation_reason} at ${c.revoked_at}` : ''}, until ${c.not_after}`,
  );
  return c.status === 'revoked'
    ? CLIENT_EXIT.revoked
    : c.status === 'expired'
      ? CLIENT_EXIT.expired
      : CLIENT_EXIT.ok;
}

export async function status(ctx: Ctx, argv: string[]): Promise<number> {
  const [id, ...extra] = argv;
  if (!id || extra.length)
    throw usage(
      'mcps-ta status ID: a passport id (asp_…), a manifest digest (sha256:…) or a certificate serial (hex)',
    );
  if (/^asp_[0-9a-f]{32}$/.test(id)) return passportStatus(ctx, id);
  if (/^sha256:[0-9a-f]{64}$/.test(id)) return manifestStatus(ctx, id);
  if (/^[0-9a-fA-F]{2,64}$/.test(id)) return certificateStatus(ctx, id.toLowerCase());
  throw usage(
    `${JSON.stringify(id)} is neither a passport id (asp_ + 32 hex), a manifest digest (sha256:…) nor a certificate serial (hex)`,
  );
}
