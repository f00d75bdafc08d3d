// Exit codes of `mcps-ta` (the client commands). 0–4 mean what they mean for `verify`
// (src/verifier/exit-codes.ts), whose own codes (10–44) `verify` and `status` keep; the client
// commands add 50–69, one per way a command can fail, so scripts can tell them apart.
import { EXIT } from '../verifier/exit-codes.js';

export const CLIENT_EXIT = {
  ok: EXIT.ok,
  internal: EXIT.internal,
  usage: EXIT.usage,
  /** The TA could not be reached, or answered something that is not its API. */
  taUnreachable: EXIT.taUnreachable,
  /** Status: the passport or certificate is revoked (as `verify`). */
  revoked: EXIT.passportRevoked,
  /** Status: expired (as `verify`). */
  expired: EXIT.passportTime,
  /** Status: a signed status document does not verify with the trusted TA keys (as `verify`). */
  badSignature: EXIT.passportSignature,
  /** Status: the manifest is yanked (as `verify`). */
  yanked: EXIT.manifestYanked,
  /** No TA configured yet: run `mcps-ta bootstrap`. */
  notBootstrapped: 50,
  /** Bootstrap: the TA's root CA does not have the fingerprint given. Nothing was stored. */
  fingerprintMismatch: 51,
  /** Bootstrap: the TA's trust material (root, intermediates, anchors) does not hold together. */
  trustMaterialInvalid: 52,
  /** No API token stored, or the TA refused it (401): run `mcps-ta login --token …`. */
  unauthenticated: 53,
  /** The TA refused the action for this token (403). */
  forbidden: 54,
  /** The TA knows no such passport, certificate, server or manifest (404). */
  notFound: 55,
  /** The request conflicts with the TA's state (409): e.g. a version already published. */
  conflict: 56,
  /** The TA refused the request as invalid (400, 413, 422): the message names the field. */
  refused: 57,
  /** The TA failed (5xx): retry later or tell its operator. */
  taError: 58,
  /** A key file is missing, unreadable, not a P-256 PKCS#8 key, or would be overwritten. */
  keyFile: 60,
  /** Another input or output file is missing, unreadable, not what it should be, or exists. */
  file: 61,
  /** The MCP server could not be started, reached or listed. */
  mcpServer: 62,
  /** Renewal daemon: the --exec command failed or the --pid process could not be signalled. */
  renewHook: 63,
} as const;

export type ClientExitCode = (typeof CLIENT_EXIT)[keyof typeof CLIENT_EXIT];

/** A failure of a command: one line saying what to do, and its exit code. */
export class CliError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Shorthand for a usage error. */
export const usage = (message: string) => new CliError(CLIENT_EXIT.usage, message);

/** The exit-code table of the help text. */
export const EXIT_CODES_HELP = `Exit codes: 0 ok · 1 internal · 2 usage · 3 TA unreachable
  50 not bootstrapped · 51 root fingerprint mismatch (nothing stored) · 52 TA trust material invalid
  53 no token / token refused · 54 forbidden · 55 not found · 56 conflict · 57 request refused (names the field)
  58 TA error (5xx) · 60 key file · 61 other file · 62 MCP server · 63 renewal hook failed
  status: 11 expired · 12 revoked · 10 status signature invalid · 22 manifest yanked
  verify: its own codes (mcps-ta verify --help)`;
