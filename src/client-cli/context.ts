// What every command gets: its arguments, its environment, where it writes, and the stores.
import { openConfigStore, type ConfigStore } from './config-store.js';
import { taClient, type TaClient } from './ta-client.js';

export interface CliIo {
  /** The result (ids, digests, OK lines): what a script captures. */
  stdout(line: string): void;
  /** Progress and warnings. */
  stderr(line: string): void;
  env: Record<string, string | undefined>;
  fetch?: typeof fetch;
}

export interface Ctx {
  io: CliIo;
  config: ConfigStore;
  /** The configured TA (throws "run bootstrap" when there is none). */
  ta(): TaClient;
  progress(line: string): void;
}

export function makeCtx(io: CliIo): Ctx {
  const config = openConfigStore(io.env);
  return {
    io,
    config,
    ta: () => taClient(config.ta().ta_url, io.fetch),
    progress: (line) => io.stderr(`… ${line}`),
  };
}
