// Reads a password for the CLI without echoing it: from a file, from piped stdin, or typed at a
// terminal with echo off (asked twice). Never printed, never logged.
import { readFileSync } from 'node:fs';
import { stdin, stderr } from 'node:process';

/** Strips one trailing newline (CRLF or LF), as `echo` and editors add one. */
function stripNewline(s: string): string {
  return s.replace(/\r?\n$/, '');
}

async function readAll(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Prompts on stderr and reads one line from the terminal in raw mode, echoing nothing. */
function promptHidden(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    stderr.write(prompt);
    let value = '';
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          finish();
          return resolve(value);
        }
        if (ch === '\u0003') {
          finish();
          return reject(new Error('cancelled'));
        }
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    const finish = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      stderr.write('\n');
    };
    stdin.on('data', onData);
  });
}

/** The password from `--password-file`, a terminal prompt (typed twice) or piped stdin. */
export async function readPassword(passwordFile: string | undefined): Promise<string> {
  if (passwordFile) return stripNewline(readFileSync(passwordFile, 'utf8'));
  if (stdin.isTTY) {
    const first = await promptHidden('Password: ');
    const again = await promptHidden('Repeat password: ');
    if (first !== again) throw new Error('the two passwords differ');
    return first;
  }
  return stripNewline(await readAll());
}
