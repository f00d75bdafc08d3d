// The verifier library (src/verifier/index.ts) is what relying parties import: everything it
// loads, transitively, must be free of the HTTP framework, the database layer and process.env.
// Type-only imports are erased when compiled, so the walk follows runtime imports.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../../../src/', import.meta.url));
const FORBIDDEN_PACKAGES =
  /^(hono|@hono\/.*|drizzle-orm.*|drizzle-kit|postgres|@electric-sql\/.*|pino)$/;

/** Every module `entry` loads at runtime (static import/export, not `import type`), and the packages they import. */
function closure(entry: string): { files: string[]; packages: Map<string, string> } {
  const files = new Set<string>();
  const packages = new Map<string, string>();
  const queue = [entry];
  while (queue.length) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(
      /(?:^|\n)\s*(import|export)(\s+type)?\b[^'";]*?from\s*'([^']+)'|import\(\s*'([^']+)'\s*\)/g,
    )) {
      if (m[2]) continue;
      const spec = (m[3] ?? m[4])!;
      if (spec.startsWith('.')) {
        const target = path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts'));
        queue.push(existsSync(target) ? target : `${target}x`);
      } else packages.set(spec, path.relative(SRC, file));
    }
  }
  return { files: [...files].map((f) => path.relative(SRC, f)).sort(), packages };
}

describe('src/verifier boundaries', () => {
  const { files, packages } = closure(path.join(SRC, 'verifier/index.ts'));

  it('reaches neither hono, drizzle, the database drivers, nor the logger', () => {
    const bad = [...packages]
      .filter(([p]) => FORBIDDEN_PACKAGES.test(p))
      .map(([p, f]) => `${p} (from ${f})`);
    assert.deepEqual(bad, []);
  });

  it('reaches no module of src/db, src/http or the service wiring, and no process.env', () => {
    assert.ok(
      files.includes('passports/verify.ts') && files.includes('keys/anchors-verify.ts'),
      'sanity: the walk follows imports',
    );
    assert.deepEqual(
      files.filter(
        (f) =>
          /^(db|http)\//.test(f) ||
          ['service.ts', 'app.ts', 'config.ts', 'main.ts', 'stores.ts'].includes(f),
      ),
      [],
    );
    assert.deepEqual(
      files.filter((f) => readFileSync(path.join(SRC, f), 'utf8').includes('process.env')),
      [],
    );
  });

  it('is exported by the package as mcps-trust-authority/verifier', async () => {
    const lib = await import('mcps-trust-authority/verifier');
    for (const name of [
      'checkPassport',
      'checkManifest',
      'checkKeyChain',
      'updateAnchors',
      'syncTrust',
      'revocationsFromPages',
      'verifyWebhookSignature',
    ]) {
      assert.equal(typeof (lib as Record<string, unknown>)[name], 'function', name);
    }
  });

  it('the test can fail: the same walk from src/service.ts finds drizzle and hono', () => {
    const service = closure(path.join(SRC, 'service.ts'));
    assert.ok([...service.packages.keys()].some((p) => p.startsWith('drizzle-orm')));
    assert.ok(
      [...service.packages.keys()].some((p) => p.startsWith('hono') || p.startsWith('@hono/')),
    );
  });
});

describe('src/mcp boundaries', () => {
  const { files, packages } = closure(path.join(SRC, 'mcp/index.ts'));

  it('the MCP guards reach neither hono, drizzle, the database drivers, the logger, src/db, src/http, nor process.env', () => {
    assert.ok(
      files.includes('verifier/passport.ts') && files.includes('mcp/envelope.ts'),
      'sanity: the walk follows imports',
    );
    assert.deepEqual(
      [...packages].filter(([p]) => FORBIDDEN_PACKAGES.test(p)).map(([p, f]) => `${p} (from ${f})`),
      [],
    );
    assert.deepEqual(
      files.filter(
        (f) =>
          /^(db|http)\//.test(f) ||
          ['service.ts', 'app.ts', 'config.ts', 'main.ts', 'stores.ts'].includes(f),
      ),
      [],
    );
    assert.deepEqual(
      files.filter((f) => readFileSync(path.join(SRC, f), 'utf8').includes('process.env')),
      [],
    );
  });

  it('is exported by the package as mcps-trust-authority/mcp', async () => {
    const lib = await import('mcps-trust-authority/mcp');
    for (const name of [
      'guardClient',
      'guardServer',
      'createServerGuard',
      'signMessage',
      'verifyMessage',
      'offlineTrust',
      'onlineTrust',
      'requestCallCredential',
      'checkCallCredential',
    ]) {
      assert.equal(typeof (lib as Record<string, unknown>)[name], 'function', name);
    }
  });
});
