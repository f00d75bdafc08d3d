// The environment the verifier CLI runs in, passed as arguments: no process globals.
export interface CliIo {
  stdout(line: string): void;
  stderr(line: string): void;
  env: Record<string, string | undefined>;
  fetch?: typeof fetch;
}
