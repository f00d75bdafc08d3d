// /docs: the whole OpenAPI document as one server-rendered HTML page — every operation with its
// access rule, parameters, request body and responses (schemas and examples), then every named
// schema. No script and no third-party asset: the stylesheet is served by the service itself.
import { exampleOf, resolveRef, type Components, type Schema } from './example.js';
import { constraints, esc, prose, schemaAnchor, schemaBody, typeSummary } from './render-schema.js';

interface MediaType {
  schema?: Schema;
  example?: unknown;
}
interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: Schema;
  $ref?: string;
}
export interface Operation {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: Parameter[];
  requestBody?: { required?: boolean; description?: string; content?: Record<string, MediaType> };
  responses?: Record<string, { description?: string; content?: Record<string, MediaType> }>;
  'x-mcps-access'?: string | string[];
  'x-mcps-signs'?: string[];
}
export interface OpenApiDocument {
  info: { title: string; version: string; description?: string };
  paths?: Record<string, Record<string, Operation>>;
  components?: Components;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

export function operationAnchor(method: string, path: string): string {
  return `op-${method}-${path.replace(/[^A-Za-z0-9]+/g, '-').replace(/-+$/, '')}`;
}

const isJson = (type: string) => /json/.test(type);

/** The example shown for a media type: its own, else one derived from the schema. */
export function mediaExample(m: MediaType, components: Components): unknown {
  return m.example !== undefined ? m.example : exampleOf(m.schema ?? {}, components);
}

function media(content: Record<string, MediaType> | undefined, components: Components): string {
  if (!content) return '';
  return Object.entries(content)
    .map(([type, m]) => {
      const schema = m.schema ?? {};
      const body = schemaBody(schema, components);
      const example = isJson(type)
        ? `<details class="example" open><summary>Example</summary><pre>${esc(JSON.stringify(mediaExample(m, components), null, 2))}</pre></details>`
        : '';
      return `<div class="media"><p><code>${esc(type)}</code> — ${typeSummary(schema, components)}</p>${body}${example}</div>`;
    })
    .join('');
}

function parameters(list: Parameter[] | undefined, components: Components): string {
  if (!list || list.length === 0) return '';
  const rows = list.map((raw) => {
    const p =
      (raw.$ref ? (resolveRef(raw.$ref, components)?.schema as unknown as Parameter) : raw) ?? raw;
    const s = p.schema ?? {};
    const limits = constraints(s);
    return `<tr><td><code>${esc(p.name)}</code>${p.required ? ' <span class="req">required</span>' : ''}</td><td>${esc(p.in)}</td><td>${typeSummary(s, components)}</td><td>${p.description ? prose(p.description) : typeof s.description === 'string' ? prose(s.description) : ''}${limits ? `<div class="limits">${limits}</div>` : ''}<div class="limits">e.g. <code>${esc(JSON.stringify(exampleOf(s, components)))}</code></div></td></tr>`;
  });
  return `<h4>Parameters</h4><table class="params"><thead><tr><th>name</th><th>in</th><th>type</th><th>meaning</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function access(op: Operation): string {
  const a = op['x-mcps-access'];
  const who =
    a === undefined || a === 'public'
      ? 'public (no token)'
      : (Array.isArray(a) ? a : [a]).join(', ');
  const signs = op['x-mcps-signs'];
  return `<p class="access">Who may call: <strong>${esc(who)}</strong>${signs && signs.length ? ` · signs: ${signs.map((x) => `<code>${esc(x)}</code>`).join(', ')}` : ''}</p>`;
}

function operation(method: string, path: string, op: Operation, components: Components): string {
  const responses = Object.entries(op.responses ?? {})
    .map(
      ([status, r]) =>
        `<div class="response"><h5><span class="status s${esc(status[0] ?? '')}">${esc(status)}</span> ${r.description ? prose(r.description) : ''}</h5>${media(r.content, components)}</div>`,
    )
    .join('');
  const body = op.requestBody
    ? `<h4>Request body${op.requestBody.required ? ' <span class="req">required</span>' : ''}</h4>${op.requestBody.description ? `<p>${prose(op.requestBody.description)}</p>` : ''}${media(op.requestBody.content, components)}`
    : '';
  return `<section class="op" id="${operationAnchor(method, path)}"><h3><span class="method ${method}">${method.toUpperCase()}</span> <code>${esc(path)}</code></h3>
<p class="summary">${prose(op.summary ?? '')}</p>${op.description ? `<p>${prose(op.description)}</p>` : ''}${access(op)}${parameters(op.parameters, components)}${body}<h4>Responses</h4>${responses}</section>`;
}

export function renderDocsPage(doc: OpenApiDocument, stylesheet: string): string {
  const components = doc.components ?? {};
  const ops = Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((m) => ({
      method: m,
      path,
      op: item[m]!,
      tag: item[m]!.tags?.[0] ?? 'other',
    })),
  );
  const tags = [...new Set(ops.map((o) => o.tag))];
  const toc = tags
    .map(
      (t) =>
        `<li>${esc(t)}<ul>${ops
          .filter((o) => o.tag === t)
          .map(
            (o) =>
              `<li><a href="#${operationAnchor(o.method, o.path)}"><span class="method ${o.method}">${o.method.toUpperCase()}</span> ${esc(o.path)}</a></li>`,
          )
          .join('')}</ul></li>`,
    )
    .join('');
  const sections = tags
    .map(
      (t) =>
        `<h2 id="tag-${esc(t)}">${esc(t)}</h2>${ops
          .filter((o) => o.tag === t)
          .map((o) => operation(o.method, o.path, o.op, components))
          .join('')}`,
    )
    .join('');
  const schemas = Object.entries(components.schemas ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([name, s]) =>
        `<section class="schema" id="${schemaAnchor(name)}"><h3>${esc(name)}</h3>${typeof s.description === 'string' ? `<p>${prose(s.description)}</p>` : ''}<p>${typeSummary({ ...s, description: undefined }, components)}</p>${schemaBody(s, components)}<details class="example"><summary>Example</summary><pre>${esc(JSON.stringify(exampleOf(s, components), null, 2))}</pre></details></section>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(doc.info.title)} — API reference</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="stylesheet" href="${esc(stylesheet)}">
</head><body><header><h1>${esc(doc.info.title)} <small>${esc(doc.info.version)}</small></h1>
<p>The machine-readable contract is <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1); this page is rendered from it. Errors are RFC 9457 <code>application/problem+json</code> documents with a stable <code>code</code>; calls that need a token take <code>Authorization: Bearer &lt;token&gt;</code>. Examples are built from the schemas.</p></header>
<nav><h2>Operations</h2><ul>${toc}</ul><p><a href="#schemas">Schemas</a></p></nav>
<main>${sections}<h2 id="schemas">Schemas</h2>${schemas}</main></body></html>`;
}
