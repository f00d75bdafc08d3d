// Where online mode keeps what it trusts between runs: one directory per TA URL holding the
// newest walked anchors and the revocation feed read so far (state.json, written atomically).
// A cached state is only ever replaced by one that walked forward from it.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TrustState } from './online.js';

export interface TrustCache {
  dir: string;
  read(): TrustState | undefined;
  write(state: TrustState): void;
}

/** The default cache root: $MCPS_TA_CACHE, else $XDG_CACHE_HOME/mcps-ta, else ~/.cache/mcps-ta. */
export function defaultCacheRoot(env: Record<string, string | undefined>): string {
  if (env.MCPS_TA_CACHE) return env.MCPS_TA_CACHE;
  return path.join(env.XDG_CACHE_HOME || path.join(env.HOME || '.', '.cache'), 'mcps-ta');
}

export function openTrustCache(root: string, taUrl: string): TrustCache {
  const id = createHash('sha256').update(taUrl.replace(/\/+$/, '')).digest('hex').slice(0, 16);
  const dir = path.join(root, id);
  const file = path.join(dir, 'state.json');
  return {
    dir,
    read: () => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        return undefined;
      }
      const state = JSON.parse(text) as TrustState;
      return state?.anchors && state.feed ? state : undefined;
    },
    write: (state) => {
      mkdirSync(dir, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, `${JSON.stringify({ ta_url: taUrl, ...state })}\n`);
      renameSync(tmp, file);
    },
  };
}
