#!/usr/bin/env node
// `mcps-ta` (package.json bin): runs src/client-cli/main.ts with the installed tsx, so
// `npx mcps-ta …` works from a clone after `npm ci` without a build step. In a compiled tree
// (the one `npm test` runs from, scripts/test-build.mjs) it runs the compiled main.js instead.
import { existsSync } from 'node:fs';

const compiled = new URL('../src/client-cli/main.js', import.meta.url);
const isCompiled = existsSync(compiled);
if (!isCompiled) (await import('tsx/esm/api')).register();
const { main } = await import(isCompiled ? compiled.href : '../src/client-cli/main.ts');
main();
