// The dependency rules of STYLE.md, checked over the directory listing of src/ (a new domain
// folder is covered the day it appears): domain folders import neither hono, nor drizzle, nor
// the database drivers, nor src/db or src/http, and never read process.env; the HTTP layer and
// the admin UI (web/) read and write through domain functions, never through the stores.
// Type-only imports count too: a domain that names a hono type depends on hono.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SRC = path.join(ROOT, 'src');

/** The adapters: the only folders that may import hono (http) or drizzle and the drivers (db). */
const ADAPTER_FOLDERS = ['db', 'http'];

/**
 * Files of domain folders that are entry points or database tools, each with why. Every other
 * file of those folders is checked; a test below fails when an entry here no longer needs to be.
 */
const EXEMPT: Record<string, string> = {
  'client-cli/main.ts':
    'entry point of the mcps-ta binary: hands process.env to the CLI, as src/main.ts does',
  'ops/backup.ts': 'backup works below the schema: opens the PGlite data directory under its lock',
  'ops/restore.ts':
    'restore works below the schema: opens the PGlite data directory under its lock',
  'ops/database-target.ts':
    'backup/restore connect to the database itself (postgres.js), not to the stores',
  'ops/pg-tools.ts': 'runs pg_dump/pg_restore with the environment they need (PATH, PG*)',
  'ops/backup-manifest.ts': 'a backup records which migrations it holds (src/db/migrate.ts)',
};

const FORBIDDEN_PACKAGE =
  /^(hono|hono\/.*|@hono\/.*|drizzle-orm(\/.*)?|drizzle-kit|postgres|@electric-sql\/.*)$/;

/** Module specifiers a file imports or re-exports (static, type-only and dynamic). */
export function importSpecifiers(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(
    /(?:^|\n)\s*(?:import|export)\b[^'";]*?\bfrom\s*'([^']+)'|(?:^|\n)\s*import\s*'([^']+)'|\bimport\(\s*'([^']+)'\s*\)/g,
  )) {
    out.push((m[1] ?? m[2] ?? m[3])!);
  }
  return out;
}

/** Lines of code, without those that are only a comment (`//`, `/* … *\/` blocks, TSDoc `*`). */
function codeLines(text: string): string[] {
  return text.split('\n').filter((l) => !/^\s*(\/\/|\/\*|\*)/.test(l));
}

/** Why `file` (path relative to src/) breaks the domain rules; empty when it does not. */
export function domainViolations(file: string, text: string): string[] {
  const found: string[] = [];
  for (const spec of importSpecifiers(text)) {
    if (FORBIDDEN_PACKAGE.test(spec)) found.push(`imports ${spec}`);
    if (spec.startsWith('.')) {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
      if (/^(db|http)\//.test(target)) found.push(`imports src/${target}`);
    }
  }
  if (codeLines(text).some((l) => /\bprocess\.env\b/.test(l))) found.push('reads process.env');
  return found;
}

/**
 * Direct store access, as `p.stores.x`, `deps.persistence?.stores`, `p['stores']`,
 * `const { stores } = p`, or a transaction opened by the page or handler itself (whose callback
 * reads and writes the stores): each must be a domain function instead.
 */
const STORE_ACCESS: ReadonlyArray<[RegExp, string]> = [
  [/\??\.stores\b/, 'reads .stores'],
  // A value's member (`p['stores']`), not a type's (`Persistence['stores']`).
  [/(?:\b[a-z_][\w$]*|\))\s*\[\s*['"`]stores['"`]\s*\]/, "reads ['stores']"],
  [/\.transact\s*\(/, 'opens a transaction'],
];
/** `const { stores } = p`, also spread over several lines (checked over the whole file). */
const DESTRUCTURED = /\{[^{}]*\bstores\b[^{}]*\}\s*=(?!=)/g;

/**
 * Files of web/ and src/http still allowed to read a store, each with why; a test below fails
 * once an entry is no longer needed (remove it then).
 */
const STORE_ACCESS_EXEMPT: Record<string, string> = {};

/** Why a file of web/ or src/http reads the stores directly; empty when it does not. */
export function storeAccess(text: string): string[] {
  const found: string[] = [];
  for (const line of codeLines(text))
    for (const [re, what] of STORE_ACCESS) if (re.test(line)) found.push(`${what}: ${line.trim()}`);
  for (const m of codeLines(text).join('\n').matchAll(DESTRUCTURED)) {
    found.push(`destructures stores: ${m[0].replace(/\s+/g, ' ')}`);
  }
  return found;
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(full));
    else if (/\.tsx?$/.test(e.name)) out.push(full);
  }
  return out;
}

const domainFolders = readdirSync(SRC, { withFileTypes: true })
  .filter((e) => e.isDirectory() && !ADAPTER_FOLDERS.includes(e.name))
  .map((e) => e.name)
  .sort();

describe('domain folder boundaries (every folder of src/ but db and http)', () => {
  it('the folder list comes from src/ and holds the domains', () => {
    for (const name of [
      'auth',
      'certificates',
      'keys',
      'manifests',
      'passports',
      'registry',
      'verifier',
      'wiring',
    ]) {
      assert.ok(domainFolders.includes(name), `${name} is checked`);
    }
    assert.ok(!domainFolders.includes('db') && !domainFolders.includes('http'));
  });

  for (const folder of domainFolders) {
    it(`src/${folder} imports neither hono, drizzle, the drivers, src/db nor src/http, and reads no process.env`, () => {
      const bad: string[] = [];
      for (const full of filesUnder(path.join(SRC, folder))) {
        const file = path.relative(SRC, full).split(path.sep).join('/');
        if (EXEMPT[file]) continue;
        for (const v of domainViolations(file, readFileSync(full, 'utf8')))
          bad.push(`${file}: ${v}`);
      }
      assert.deepEqual(bad, []);
    });
  }

  it('every exemption names an existing file that still needs it', () => {
    for (const file of Object.keys(EXEMPT)) {
      assert.ok(existsSync(path.join(SRC, file)), `${file} exists`);
      assert.notDeepEqual(
        domainViolations(file, readFileSync(path.join(SRC, file), 'utf8')),
        [],
        `${file} still needs its exemption`,
      );
    }
  });
});

describe('web/ and src/http read through domain functions', () => {
  const files = [...filesUnder(path.join(ROOT, 'web')), ...filesUnder(path.join(SRC, 'http'))];

  it('no page, handler or middleware reaches into the stores', () => {
    assert.ok(
      files.some((f) => f.endsWith(path.join('web', 'admin', 'modules', 'servers.tsx'))),
      'sanity: the walk finds the admin pages',
    );
    const bad = files
      .map((f) => path.relative(ROOT, f).split(path.sep).join('/'))
      .filter((f) => !STORE_ACCESS_EXEMPT[f])
      .flatMap((f) =>
        storeAccess(readFileSync(path.join(ROOT, f), 'utf8')).map((v) => `${f}: ${v}`),
      );
    assert.deepEqual(bad, []);
  });

  it('every exemption names an existing file that still needs it', () => {
    for (const f of Object.keys(STORE_ACCESS_EXEMPT)) {
      assert.ok(existsSync(path.join(ROOT, f)), `${f} exists`);
      assert.notDeepEqual(
        storeAccess(readFileSync(path.join(ROOT, f), 'utf8')),
        [],
        `${f} still needs its exemption`,
      );
    }
  });
});

describe('the checks can fail (samples)', () => {
  it('finds each kind of direct store access', () => {
    const reads = [
      'const r = await deps.persistence.stores.passports.findById(id);',
      'rows={await p.stores.servers.list({ limit: 200 })}',
      'const log = deps.persistence?.stores.log;',
      "const s = p['stores'];",
      'const { stores, clock } = deps.persistence;',
      'const {\n  clock,\n  stores,\n} = deps.persistence;',
      'await p.transact(async (s) => s.passports.findById(id));',
    ];
    for (const line of reads) assert.equal(storeAccess(line).length, 1, line);
  });

  it('leaves domain calls, imports, comments and look-alike names alone', () => {
    const fine = [
      'const page = await listServers(p, { search: q.search, limit: q.limit });',
      "import type { Persistence, Stores } from '../../stores.js';",
      '// a handler never reads p.stores directly',
      ' * the unbound `Persistence.stores` (TSDoc)',
      'const restores = backups.restores.length;',
      "const stores: Persistence['stores'] | undefined = undefined;",
      'const { storesCount } = stats;',
      'const fake = { stores: inMemory() };',
    ];
    for (const line of fine) assert.deepEqual(storeAccess(line), [], line);
  });

  it('finds hono, drizzle, drivers, src/db, src/http and process.env in a domain file', () => {
    const cases: Array<[string, string]> = [
      ["import { Hono } from 'hono';", 'imports hono'],
      ["import type { Context } from 'hono';", 'imports hono'],
      ["import { z } from '@hono/zod-openapi';", 'imports @hono/zod-openapi'],
      ["import { eq } from 'drizzle-orm';", 'imports drizzle-orm'],
      ["import { pgTable } from 'drizzle-orm/pg-core';", 'imports drizzle-orm/pg-core'],
      ["import postgres from 'postgres';", 'imports postgres'],
      ["const { PGlite } = await import('@electric-sql/pglite');", 'imports @electric-sql/pglite'],
      ["import { openDatabase } from '../db/client.js';", 'imports src/db/client.js'],
      ["export { problem } from '../http/problem.js';", 'imports src/http/problem.js'],
      ["import type { AppDeps } from '../http/deps.js';", 'imports src/http/deps.js'],
      ['const url = process.env.DATABASE_URL;', 'reads process.env'],
    ];
    for (const [text, want] of cases)
      assert.deepEqual(domainViolations('registry/x.ts', text), [want], text);
  });

  it('passes a clean domain file (domain imports, comments naming the rules)', () => {
    const text = [
      '// never reads process.env: config comes in as an argument',
      "import type { Persistence } from '../stores.js';",
      "import { listingScope } from '../registry/listing.js';",
      "import { createHash } from 'node:crypto';",
      "const dbName = 'postgres-like'; // from 'hono' in a comment",
    ].join('\n');
    assert.deepEqual(domainViolations('passports/x.ts', text), []);
  });
});
