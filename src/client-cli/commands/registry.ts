// `mcps-ta namespace claim|verify` and `mcps-ta server register`: what a publisher does before its
// first server passport and manifest, over the TA's API (POST /v1/namespaces, …/verify,
// POST /v1/servers), so the publisher walk-through needs nothing but this CLI.
//   namespace claim NS --url URL   prints the challenge token; says where to serve it
//   namespace verify NS            the TA fetches the challenge URL; prints "verified NS"
//   server register NS/NAME --origin URL --description TEXT
import { parseArgs } from 'node:util';
import type { Ctx } from '../context.js';
import { usage } from '../exit-codes.js';

const NAMESPACE = /^[a-zA-Z0-9-]+(\.[a-zA-Z0-9-]+)+$/;
const SERVER_NAME = /^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/;

interface NamespaceView {
  namespace: string;
  status: string;
  challenge_token: string;
  challenge_url: string;
  challenge_expires_at: string;
}

async function claim(ctx: Ctx, argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: { url: { type: 'string' } },
  });
  const [namespace, ...extra] = positionals;
  if (!namespace || extra.length || !values.url)
    throw usage('mcps-ta namespace claim NS --url https://example.com');
  if (!NAMESPACE.test(namespace))
    throw usage(`${JSON.stringify(namespace)} is not a reverse-DNS namespace such as com.example`);
  const token = ctx.config.token();
  ctx.progress(`claiming ${namespace} for ${values.url}`);
  const r = await ctx
    .ta()
    .post<NamespaceView>('/v1/namespaces', { namespace, url: values.url }, { token });
  ctx.io.stderr(
    `claimed ${r.namespace} (${r.status}): serve the token below as text/plain at ${r.challenge_url} before ${r.challenge_expires_at}, then run mcps-ta namespace verify ${r.namespace} (or ask your TA admin to approve it)`,
  );
  ctx.io.stdout(r.challenge_token);
}

async function verify(ctx: Ctx, argv: string[]): Promise<void> {
  const { positionals } = parseArgs({ args: argv, strict: true, allowPositionals: true });
  const [namespace, ...extra] = positionals;
  if (!namespace || extra.length || !NAMESPACE.test(namespace))
    throw usage('mcps-ta namespace verify NS (a reverse-DNS namespace such as com.example)');
  const token = ctx.config.token();
  ctx.progress(`asking the TA to fetch the challenge of ${namespace}`);
  const r = await ctx.ta().post<NamespaceView>(`/v1/namespaces/${namespace}/verify`, undefined, {
    token,
  });
  ctx.io.stdout(`${r.status} ${r.namespace}`);
}

async function register(ctx: Ctx, argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: { origin: { type: 'string' }, description: { type: 'string' } },
  });
  const [name, ...extra] = positionals;
  if (!name || extra.length || !values.origin || !values.description)
    throw usage('mcps-ta server register NS/NAME --origin URL --description TEXT');
  if (!SERVER_NAME.test(name))
    throw usage(`${JSON.stringify(name)} is not a server name such as com.example/weather`);
  const token = ctx.config.token();
  ctx.progress(`registering ${name} at ${values.origin}`);
  const r = await ctx.ta().post<{
    name: string;
    origin_verified: boolean;
  }>('/v1/servers', { name, origin: values.origin, description: values.description }, { token });
  ctx.io.stderr(
    `registered ${r.name}${r.origin_verified ? ', origin proven' : ': its origin is not proven yet (its host must lie within a namespace you verified)'}`,
  );
  ctx.io.stdout(r.name);
}

export async function namespace(ctx: Ctx, argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub === 'claim') return claim(ctx, rest);
  if (sub === 'verify') return verify(ctx, rest);
  throw usage('mcps-ta namespace claim|verify …');
}

export async function server(ctx: Ctx, argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub === 'register') return register(ctx, rest);
  throw usage('mcps-ta server register …');
}
