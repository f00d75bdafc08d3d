// `mcps-ta manifest publish NS/NAME VERSION --file F | --from-stdio CMD | --from-url URL
// [--sign-with KEY]`: publish tools, prompts and resources exactly as the server lists them. With
// --sign-with, the server's passport key signs the content the way the TA checks it
// (src/manifests/server-keys.ts): low-S ES256 over DSSE PAE("application/vnd.mcps.manifest-
// content+json", JCS({mcps_manifest_version, server, version, origin, tools, prompts, resources}))
// with the origin the TA holds for the server.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pae } from '../../crypto/dsse.js';
import { signP256 } from '../../crypto/ecdsa.js';
import { canonicalBytes } from '../../crypto/jcs.js';
import { MANIFEST_FORMAT_VERSION } from '../../manifests/manifest.js';
import { MANIFEST_CONTENT_PAYLOAD_TYPE } from '../../manifests/server-keys.js';
import { writeFileAtomic } from '../config-store.js';
import type { Ctx } from '../context.js';
import { CLIENT_EXIT, CliError, usage } from '../exit-codes.js';
import { readKeyFile } from '../keys.js';
import type * as McpCapture from '../mcp-capture.js';
import { manifestDiff } from './manifest-diff.js';

/** The MCP SDK client (a large import) is loaded only when a live server is read. */
const captureListing: typeof McpCapture.captureListing = async (...args) =>
  (await import('../mcp-capture.js')).captureListing(...args);

const SERVER_NAME = /^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/;

type Items = Array<Record<string, unknown>>;

/** A manifest file: {tools, prompts?, resources?}, a tools/list result, or a JSON-RPC response holding one. */
function contentFromFile(file: string): { tools: Items; prompts: Items; resources: Items } {
  let doc: any;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(
      CLIENT_EXIT.file,
      code ? `cannot read ${file} (${code})` : `${file} is not JSON`,
    );
  }
  if (doc && typeof doc === 'object' && doc.result && Array.isArray(doc.result.tools))
    doc = doc.result;
  if (!doc || typeof doc !== 'object' || !Array.isArray(doc.tools)) {
    throw new CliError(
      CLIENT_EXIT.file,
      `${file} has no "tools" array: give {"tools": [...], "prompts": [...], "resources": [...]} or a tools/list result`,
    );
  }
  return { tools: doc.tools, prompts: doc.prompts ?? [], resources: doc.resources ?? [] };
}

async function publish(ctx: Ctx, argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: {
      file: { type: 'string' },
      'from-stdio': { type: 'string' },
      'from-url': { type: 'string' },
      'sign-with': { type: 'string' },
      out: { type: 'string' },
    },
  });
  const [server, version, ...extra] = positionals;
  if (!server || !version || extra.length)
    throw usage(
      'mcps-ta manifest publish NS/NAME VERSION --file F | --from-stdio CMD | --from-url URL',
    );
  if (!SERVER_NAME.test(server))
    throw usage(`${JSON.stringify(server)} is not a server name such as com.example/weather`);
  const sources = [values.file, values['from-stdio'], values['from-url']].filter(
    (v) => v !== undefined,
  );
  if (sources.length !== 1)
    throw usage('pass exactly one of --file F, --from-stdio "CMD …" or --from-url URL');
  const token = ctx.config.token();
  const signer = values['sign-with'] ? readKeyFile(values['sign-with'], ctx.io.stderr) : undefined;

  const content = values.file
    ? contentFromFile(values.file)
    : await captureListing({ stdio: values['from-stdio'], url: values['from-url'] }, ctx.progress);
  const body: Record<string, unknown> = {
    version,
    tools: content.tools,
    prompts: content.prompts,
    resources: content.resources,
  };
  if (signer) {
    const registered = await ctx.ta().get<{ origin: string }>(`/v1/servers/${server}`);
    const signed = canonicalBytes({
      mcps_manifest_version: MANIFEST_FORMAT_VERSION,
      server,
      version,
      origin: registered.origin,
      tools: content.tools,
      prompts: content.prompts,
      resources: content.resources,
    });
    body.server_signature = signP256(
      signer.privateKey,
      pae(MANIFEST_CONTENT_PAYLOAD_TYPE, signed),
    ).toString('base64');
    ctx.progress(`signed the content with server key ${signer.kid}`);
  }
  ctx.progress(`publishing ${server}@${version} (${content.tools.length} tools)`);
  const r = await ctx
    .ta()
    .post<{ digest: string; manifest: { tools: unknown[] } }>(
      `/v1/servers/${server}/manifests`,
      body,
      { token },
    );
  if (values.out) writeFileAtomic(values.out, `${JSON.stringify(r, null, 2)}\n`);
  ctx.io.stderr(
    `published ${server}@${version}: ${r.manifest.tools.length} tools, digest ${r.digest}${signer ? ', server-signed' : ''}${values.out ? `; response in ${values.out}` : ''}`,
  );
  ctx.io.stdout(r.digest);
}

export async function manifest(ctx: Ctx, argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub === 'publish') return publish(ctx, rest);
  if (sub === 'diff') return manifestDiff(ctx, rest);
  throw usage('mcps-ta manifest publish|diff … (mcps-ta --help)');
}
