// `mcps-ta`: the command line for agent operators and publishers (bin/mcps-ta.mjs runs this file
// through tsx). Client commands talk to a TA over HTTP; `admin …` runs the operator commands of
// src/cli.ts (`npm run ta`) on the TA's database, in a child process so that file stays as it is.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { makeCtx, type CliIo, type Ctx } from './context.js';
import { CLIENT_EXIT, CliError } from './exit-codes.js';
import { fullHelp } from './help.js';

// src/cli.ts beside this file, or its compiled cli.js when this file runs compiled.
const COMPILED = import.meta.url.endsWith('.js');
const OPERATOR_CLI = path.resolve(import.meta.dirname, COMPILED ? '../cli.js' : '../cli.ts');
const RUN_OPERATOR_CLI = COMPILED ? [OPERATOR_CLI] : ['--import', 'tsx', OPERATOR_CLI];

/**
 * The help text of src/cli.ts. Read from its source (its HELP literal) because importing or
 * running it costs seconds of start-up; run as `help` only when the literal cannot be found.
 */
function operatorHelp(): string | undefined {
  try {
    const literal = /\nconst HELP = `([^`$]*(?:\\`[^`$]*)*)`;\n/.exec(
      readFileSync(OPERATOR_CLI, 'utf8'),
    )?.[1];
    if (literal) return literal.replace(/\\`/g, '`');
  } catch {
    // fall through to running it
  }
  const r = spawnSync(process.execPath, [...RUN_OPERATOR_CLI, 'help'], {
    encoding: 'utf8',
    env: { ...process.env, LOG_LEVEL: 'silent' },
  });
  return r.status === 0 ? r.stdout : undefined;
}

function admin(argv: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...RUN_OPERATOR_CLI, ...argv], {
      stdio: 'inherit',
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

/** `verify …` with the bootstrapped TA as the default trust (online, cached in the config dir). */
async function verify(ctx: Ctx, argv: string[]): Promise<number> {
  const args = [...argv];
  const wantsHelp = args.includes('--help') || args.length === 0;
  if (!wantsHelp && !args.includes('--ta') && !args.includes('--anchors')) {
    const c = ctx.config.ta();
    args.push('--ta', c.ta_url, '--anchors', ctx.config.anchorsFile());
    if (!args.includes('--cache')) args.push('--cache', ctx.config.cacheDir());
  }
  const { runVerifyCli } = await import('../verifier/cli.js');
  return runVerifyCli(args, ctx.io);
}

type Command = (ctx: Ctx, argv: string[]) => Promise<number | void>;

// Each command's module (and its dependencies: the MCP SDK, x509, jose…) is imported only when
// that command runs: every module loaded through tsx costs start-up time.
const COMMANDS: Record<string, () => Promise<Command>> = {
  bootstrap: async () => (await import('./commands/bootstrap.js')).bootstrap,
  login: async () => (await import('./commands/bootstrap.js')).login,
  fingerprint: async () => (await import('./commands/bootstrap.js')).fingerprint,
  key: async () => (await import('./commands/passport.js')).keyNew,
  namespace: async () => (await import('./commands/registry.js')).namespace,
  server: async () => (await import('./commands/registry.js')).server,
  passport: async () => (await import('./commands/passport.js')).passport,
  cert: async () => (await import('./commands/cert.js')).cert,
  manifest: async () => (await import('./commands/manifest.js')).manifest,
  status: async () => (await import('./commands/status.js')).status,
  verify: async () => verify,
};

/** Runs `mcps-ta argv…`; returns the exit code. */
export async function runMcpsTa(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    io.stdout(fullHelp(operatorHelp()));
    return command ? CLIENT_EXIT.ok : CLIENT_EXIT.usage;
  }
  if (command === 'admin') return admin(rest);
  const load = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!load) {
    io.stderr(`error: unknown command ${JSON.stringify(command)}: mcps-ta --help lists them`);
    return CLIENT_EXIT.usage;
  }
  try {
    const handler = await load();
    const code = await handler(makeCtx(io), rest);
    return typeof code === 'number' ? code : CLIENT_EXIT.ok;
  } catch (err) {
    if (err instanceof CliError) {
      io.stderr(
        `error: ${err.message}${err.code === CLIENT_EXIT.usage ? ` (mcps-ta ${command} usage: mcps-ta --help)` : ''}`,
      );
      return err.code;
    }
    if (
      err instanceof TypeError &&
      String((err as { code?: unknown }).code ?? '').startsWith('ERR_PARSE_ARGS')
    ) {
      io.stderr(`error: ${err.message} (mcps-ta --help)`);
      return CLIENT_EXIT.usage;
    }
    io.stderr(`error: ${(err as Error).message} — this is a bug in mcps-ta; please report it`);
    return CLIENT_EXIT.internal;
  }
}

const line = (stream: NodeJS.WriteStream) => (text: string) =>
  stream.write(`${text.replace(/\n$/, '')}\n`);

/** Runs with the process's arguments and streams, then exits (bin/mcps-ta.mjs). */
export function main(): void {
  runMcpsTa(process.argv.slice(2), {
    stdout: line(process.stdout),
    stderr: line(process.stderr),
    env: process.env,
  }).then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`error: ${(err as Error).message}\n`);
      process.exit(1);
    },
  );
}
