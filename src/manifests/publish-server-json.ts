// The official publish path (`POST /v0.1/publish`, `/v0/publish`, what `mcp-publisher publish`
// sends): a whole server.json document. It becomes a manifest version of the registered server of
// that name, through the same publishManifest as `POST /v1/servers/{ns}/{name}/manifests`.
//
// Where the tools come from: `_meta["io.modelcontextprotocol.registry/publisher-provided"]
// ["dev.mcps-ta/manifest"]` = {tools, prompts?, resources?, server_signature?} — the body of the
// /v1 publish route without `version` and `server_json`. It is taken out of the server.json that
// is signed and served (the tools are in the manifest itself, at `manifest_url`); without it the
// version is published with no tools, prompts or resources.
import { ConflictError, InvalidRequestError, NotFoundError } from '../errors.js';
import type { Principal } from '../auth/principal.js';
import type { Persistence } from '../stores.js';
import { publishManifest, type PublishDeps, type PublishResult } from './publish.js';
import {
  PUBLISHER_PROVIDED_KEY,
  ServerJsonDocument,
  type ServerJsonExtras,
} from './server-json-schema.js';

/** Key, inside the publisher-provided `_meta`, of the tools/prompts/resources of the version. */
export const MANIFEST_META_KEY = 'dev.mcps-ta/manifest';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function issuesOf(error: { issues: Array<{ path: PropertyKey[]; message: string }> }) {
  const issues = error.issues.map((i) => ({
    field: ['body', ...i.path.map(String)].join('.'),
    message: i.message,
  }));
  return new InvalidRequestError(issues.map((i) => `${i.field}: ${i.message}`).join('; '), issues);
}

/**
 * mcp-publisher is written in Go, whose `omitempty` never omits a struct: a server.json without a
 * repository arrives with `"repository": {"url": "", "source": ""}`. That means "none".
 */
export function withoutEmptyRepository(raw: unknown): unknown {
  if (!isObject(raw) || !isObject(raw.repository)) return raw;
  const r = raw.repository;
  if (Object.values(r).every((v) => v === '')) {
    const { repository: _empty, ...rest } = raw;
    return rest;
  }
  return raw;
}

/** Publishes a server.json document as a version of the registered server it names. */
export async function publishServerJson(
  p: Persistence,
  deps: PublishDeps,
  principal: Principal,
  raw: unknown,
): Promise<PublishResult> {
  const parsed = ServerJsonDocument.safeParse(withoutEmptyRepository(raw));
  if (!parsed.success) throw issuesOf(parsed.error);
  const { $schema: _schema, name, version, _meta, ...rest } = parsed.data;
  const provided = _meta?.[PUBLISHER_PROVIDED_KEY];
  let manifest: Record<string, unknown> = { tools: [] };
  let kept: Record<string, unknown> | undefined = provided;
  if (provided && MANIFEST_META_KEY in provided) {
    const m = provided[MANIFEST_META_KEY];
    const field = `body._meta.${PUBLISHER_PROVIDED_KEY}.${MANIFEST_META_KEY}`;
    if (!isObject(m))
      throw InvalidRequestError.field(
        field,
        'must be an object {tools, prompts?, resources?, server_signature?}',
      );
    if ('version' in m || 'server_json' in m)
      throw InvalidRequestError.field(
        field,
        'must not carry version or server_json: they come from the server.json itself',
      );
    manifest = { tools: [], ...m };
    const { [MANIFEST_META_KEY]: _taken, ...others } = provided;
    kept = others;
  }
  if (!(await p.stores.servers.find(name))) {
    throw new NotFoundError(
      `no server ${name}: register it first (POST /v1/servers with its origin), then publish`,
    );
  }
  const extras: ServerJsonExtras = {
    ...rest,
    ...(kept && Object.keys(kept).length > 0 ? { _meta: { [PUBLISHER_PROVIDED_KEY]: kept } } : {}),
  };
  try {
    return await publishManifest(p, deps, principal, name, {
      ...manifest,
      version,
      server_json: extras,
    });
  } catch (e) {
    if (!(e instanceof InvalidRequestError || e instanceof ConflictError) || e.issues.length === 0)
      throw e;
    // Name the fields as this route's body has them.
    const inMeta = `body._meta.${PUBLISHER_PROVIDED_KEY}.${MANIFEST_META_KEY}.`;
    const rename = (f: string) =>
      f === 'path.name'
        ? 'body.name'
        : f.startsWith('body.server_json.')
          ? `body.${f.slice('body.server_json.'.length)}`
          : /^body\.(tools|prompts|resources|server_signature)\b/.test(f)
            ? inMeta + f.slice(5)
            : f;
    const issues = e.issues.map((i) => ({ field: rename(i.field), message: i.message }));
    if (e instanceof ConflictError) throw new ConflictError(e.message, issues);
    throw new InvalidRequestError(issues.map((i) => `${i.field}: ${i.message}`).join('; '), issues);
  }
}
