#!/usr/bin/env node
// `mcps-ta` (package.json bin): runs src/client-cli/main.ts with the installed tsx, so
// `npx mcps-ta …` works from a clone after `npm ci` without a build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/client-cli/main.ts');
main();
