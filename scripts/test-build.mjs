// The compiled tree `npm test` runs: the repository mirrored into a temporary directory, every
// .ts/.tsx file of the source folders transformed one to one into a .js beside it by esbuild (the
// transform tsx applies on the fly, with the project's tsconfig), the rest copied or linked.
//
// Why: on Node 20, tsx loads modules through off-thread hooks that cost ~2.4 s of CPU for every
// process importing the service (~750 modules: 4.3 s through tsx, 1.9 s compiled, measured with
// a bare `import('src/service')`). The suite starts several hundred such processes — each test
// file, each service, CLI and MCP server it spawns — on a machine whose cores it keeps busy.
//
// What stays the same: the code (no bundling, no minifying; each module keeps its file and its
// imports), the layout (paths relative to import.meta.url land where they do in the repository:
// migrations/, schemas/, docs/ … are links to the originals) and the .ts sources themselves, linked
// beside their .js, for the tests that read them (boundaries, the locks table, the README tree).
import { build } from 'esbuild';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Folders whose TypeScript is compiled; everything else at the top level is linked. */
const COMPILED = ['bench', 'bin', 'scripts', 'src', 'test', 'web'];
/** Never mirrored: the repository's own state and local scratch space. */
const SKIPPED = new Set(['.git', '.scratch', 'data', '.data', '.tmp']);
/** Written, not linked: package.json, whose `exports` name .ts entry points. */
const REWRITTEN = new Set(['package.json']);

const isTypeScript = (name) => /\.tsx?$/.test(name) && !name.endsWith('.d.ts');

/** Walks `dir` (relative to root): TypeScript files to compile, other files to copy. */
function walk(root, dir, out) {
  for (const e of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) walk(root, rel, out);
    else if (isTypeScript(e.name)) out.typescript.push(rel);
    else out.other.push(rel);
  }
  return out;
}

/**
 * Builds the compiled mirror of `root` and returns its directory (a new one under the system's
 * temporary directory; the caller removes it). Fails on the first file esbuild cannot transform.
 */
export async function buildTestTree(root) {
  const out = mkdtempSync(path.join(os.tmpdir(), 'mcps-ta-build-'));
  // What tests write there (screenshots of the admin UI) outlives the tree.
  mkdirSync(path.join(root, 'test-results'), { recursive: true });
  for (const e of readdirSync(root, { withFileTypes: true })) {
    if (SKIPPED.has(e.name) || REWRITTEN.has(e.name) || COMPILED.includes(e.name)) continue;
    symlinkSync(path.join(root, e.name), path.join(out, e.name));
  }
  // The package's own entry points (`mcps-trust-authority/verifier`, …) are its compiled files,
  // as in a published build.
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  for (const [k, v] of Object.entries(pkg.exports ?? {}))
    pkg.exports[k] = v.replace(/\.tsx?$/, '.js');
  writeFileSync(path.join(out, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  const files = { typescript: [], other: [] };
  for (const dir of COMPILED) walk(root, dir, files);
  for (const rel of [...files.typescript, ...files.other])
    mkdirSync(path.dirname(path.join(out, rel)), { recursive: true });
  // Copied, not linked: a linked .mjs would resolve its own imports from the repository (Node
  // follows links to the real path), and a copy keeps a script's executable bit.
  for (const rel of files.other) copyFileSync(path.join(root, rel), path.join(out, rel));
  for (const rel of files.typescript) symlinkSync(path.join(root, rel), path.join(out, rel));
  await build({
    absWorkingDir: root,
    entryPoints: files.typescript,
    outdir: out,
    outbase: '.',
    bundle: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Node 20 reads `with { type: 'json' }`; esbuild's node20 table would refuse to emit it.
    supported: { 'import-attributes': true },
    tsconfig: path.join(root, 'tsconfig.json'),
    // Failure output points into the .ts files (the test runner runs with --enable-source-maps).
    sourcemap: 'inline',
    sourcesContent: false,
    logLevel: 'error',
  });
  return out;
}
