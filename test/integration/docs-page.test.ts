// Issue 13: /docs renders the whole OpenAPI document — every operation with its parameters,
// request and response schemas and examples — from assets served by the service itself, under a
// strict CSP (no script, no inline style, nothing from another origin). Every example shown
// validates against the schema it illustrates.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import {
  mediaExample,
  operationAnchor,
  type OpenApiDocument,
} from '../../src/http/docs/render-page.js';
import { exampleOf, fromPattern } from '../../src/http/docs/example.js';
import { esc, schemaAnchor } from '../../src/http/docs/render-schema.js';
import { startTestService, type TestService } from '../support/service.js';

describe('/docs: the full API reference', () => {
  let ta: TestService;
  let page: string;
  let doc: OpenApiDocument;
  let csp: string;
  before(async () => {
    ta = await startTestService();
    const res = await ta.request('GET', '/docs');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    page = res.text;
    csp = res.headers.get('content-security-policy') ?? '';
    doc = (await ta.request('GET', '/openapi.json')).json;
  });
  after(async () => ta.stop());

  const sectionOf = (anchor: string): string => {
    const start = page.indexOf(`<section class="op" id="${anchor}">`);
    assert.ok(start >= 0, `no section ${anchor}`);
    return page.slice(start, page.indexOf('</section>', start));
  };

  it('is self-contained under a strict CSP: no script, no inline style, only same-origin links', async () => {
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /style-src 'self'/);
    assert.doesNotMatch(csp, /unsafe|script-src|https?:/);
    assert.doesNotMatch(page, /<script|<style|\sstyle=|\son[a-z]+=/i);
    for (const m of page.matchAll(/\s(?:href|src)="([^"]*)"/g))
      assert.match(m[1]!, /^(#|\/(?!\/))/, `off-site reference ${m[1]}`);
    const css = await ta.request('GET', '/docs/docs.css');
    assert.equal(css.status, 200);
    assert.match(css.headers.get('content-type') ?? '', /^text\/css/);
    assert.ok(page.includes('<link rel="stylesheet" href="/docs/docs.css">'));
  });

  it('has every operation with its access rule, parameters, request body and every response', () => {
    let operations = 0;
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      for (const [method, op] of Object.entries(item)) {
        operations += 1;
        const s = sectionOf(operationAnchor(method, path));
        assert.ok(
          s.includes(`${method.toUpperCase()}</span> <code>${esc(path)}</code>`),
          `${method} ${path}`,
        );
        assert.ok(s.includes('Who may call:'), `${method} ${path}: access`);
        for (const p of op.parameters ?? [])
          assert.ok(
            s.includes(`<code>${esc(p.name)}</code>`),
            `${method} ${path}: parameter ${p.name}`,
          );
        if (op.requestBody)
          assert.ok(s.includes('<h4>Request body'), `${method} ${path}: request body`);
        for (const status of Object.keys(op.responses ?? {}))
          assert.ok(
            s.includes(`<span class="status s${status[0]}">${status}</span>`),
            `${method} ${path}: ${status}`,
          );
      }
    }
    assert.ok(operations >= 70, `only ${operations} operations`);
    for (const name of Object.keys(doc.components?.schemas ?? {}))
      assert.ok(page.includes(`id="${schemaAnchor(name)}"`), `schema ${name}`);
    // Request members appear with their constraints (e.g. the publisher name's pattern).
    const create = sectionOf(operationAnchor('post', '/v1/publishers'));
    assert.ok(create.includes('href="#schema-CreatePublisher"'));
    const schema = page.slice(page.indexOf('id="schema-CreatePublisher"'));
    assert.match(
      schema.slice(0, 2000),
      /<code>name<\/code> <span class="req">required<\/span>.*pattern <code>/s,
    );
  });

  it('shows an example for every JSON request and response body, and each validates against its schema', () => {
    const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
    const rewrite = (x: unknown) =>
      JSON.parse(JSON.stringify(x).replace(/"#\/components\//g, '"doc#/components/'));
    ajv.addSchema({ $id: 'doc', components: rewrite(doc.components) });
    let checked = 0;
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      for (const [method, op] of Object.entries(item)) {
        const s = sectionOf(operationAnchor(method, path));
        const bodies = [
          ...Object.entries(op.requestBody?.content ?? {}).map(([type, m]) => ({
            where: 'request',
            type,
            m,
          })),
          ...Object.entries(op.responses ?? {}).flatMap(([status, r]) =>
            Object.entries(r.content ?? {}).map(([type, m]) => ({ where: status, type, m })),
          ),
        ];
        for (const { where, type, m } of bodies) {
          if (!/json/.test(type)) continue;
          const example = mediaExample(m, doc.components ?? {});
          assert.ok(
            s.includes(esc(JSON.stringify(example, null, 2))),
            `${method} ${path} ${where}: example not shown`,
          );
          const validate = ajv.compile(rewrite(m.schema ?? {}));
          assert.ok(
            validate(example),
            `${method} ${path} ${where} ${type}: example does not fit: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(example)}`,
          );
          checked += 1;
        }
      }
    }
    assert.ok(checked >= 150, `only ${checked} bodies`);
  });

  it('builds pattern examples that match, and refuses to invent one it cannot', () => {
    for (const p of [
      '^pub_[0-9a-f]{32}$',
      '^[A-Za-z0-9_-]{43}$',
      '^([A-Za-z0-9_-]{43})\\.cer$',
      '^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$',
    ]) {
      const v = fromPattern(p);
      assert.ok(v !== undefined && new RegExp(p, 'u').test(v), `${p}: ${v}`);
    }
    assert.equal(fromPattern('^a$b'), undefined);
    assert.equal(exampleOf({ type: 'string', pattern: '^a$b', minLength: 3 }, {}), 'string');
  });
});
