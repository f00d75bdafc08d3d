// The help text of `mcps-ta`: every command, in one place (README's command list is compared with
// it by a test). The operator commands are src/cli.ts's own list, read from it at run time.
import { EXIT_CODES_HELP } from './exit-codes.js';

export const CLIENT_HELP = `Usage: mcps-ta <command> [options]

For agent operators and publishers (over HTTP; never the TA's database):
  bootstrap --ta URL --fingerprint SHA256
                          Trust a TA: pin its root CA by fingerprint (wrong one: exit 51, nothing
                          stored), check its trust anchors, store URL, root and anchors
  login --token TOKEN | --token-file FILE
                          Check a publisher API token with the TA and store it (mode 0600)
  fingerprint FILE        SHA-256 fingerprint of a PEM certificate (what bootstrap pins)
  key new --out FILE      New P-256 key: FILE (PKCS#8 PEM, 0600) and its public JWK beside it
  namespace claim NS --url URL
                          Claim a namespace (com.example for https://example.com); prints the
                          challenge token and where to serve it
  namespace verify NS     Have the TA fetch the challenge and mark the namespace verified
  server register NS/NAME --origin URL --description TEXT
                          Register a server under a verified namespace; prints its name
  passport request (--name NAME | --server NS/NAME) --key FILE [--capability C]… [--version V]
                   [--origin URL] [--ttl-days N] [--out FILE]
                          Get an agent or server passport (challenge + proof of possession); prints its id
  passport rotate ID --new-key FILE [--key OLD] [--ttl-days N] [--out FILE]
                          Rotate to a new key (made when FILE does not exist): rotation statement by
                          the old key, proof by the new one; prints the new passport id
  passport revoke ID [--reason R]
                          Revoke (RFC 5280 reason: unspecified, keyCompromise, superseded, …)
  passport show ID [--json] [--out FILE]
                          A passport and its status
  cert request (--server NS/NAME | --passport ID) [--out BASE] [--key FILE] [--validity-days N]
                          Make a key and CSR, get a server (serverAuth) or client (clientAuth)
                          certificate: BASE.crt (leaf), BASE.chain.pem (issuing CA + root), BASE.key
  cert renew --cert FILE [--key FILE] [--rekey] [--validity-days N]
                          Renew now (same lifetime unless --validity-days); replaces the files atomically
  cert renew --daemon --cert FILE [--expires-in DURATION] [--exec CMD | --pid N | --pid-file F]
                          Keep renewing: at 2/3 of the lifetime (or when DURATION is left), then run
                          CMD or send SIGHUP to the server
  manifest publish NS/NAME VERSION (--file F | --from-stdio "CMD …" | --from-url URL)
                   [--sign-with KEY] [--out FILE]
                          Publish tools, prompts and resources as the MCP server lists them (read
                          live with the MCP SDK client); --sign-with adds the server passport's
                          signature; prints the digest
  manifest diff NS/NAME VERSION_A VERSION_B [--json]
                          What changed, field by field and word by word ([-deleted-] {+inserted+})
  verify <passport|manifest|chain|anchors> …
                          Verify offline or online (defaults to the bootstrapped TA); verify --help
  status ID               Passport (asp_…), manifest (sha256:…) or certificate (serial) status
  help, --help            This text

Files: $MCPS_TA_CONFIG, else $XDG_CONFIG_HOME/mcps-ta, else ~/.config/mcps-ta (config.json,
root.pem, anchors.json, token, passports.json, cache/). MCPS_TA_TOKEN overrides the stored token.
Output: results on stdout (one line), progress and errors on stderr; each error says what to do.
${EXIT_CODES_HELP}
`;

/** The entries of src/cli.ts's "Commands:" section, each its lines, without help and verify. */
export function adminEntries(adminHelp: string): string[][] {
  const section = adminHelp.split(/\nCommands:\n/)[1]?.split(/\n\n/)[0] ?? '';
  const entries: string[][] = [];
  for (const line of section.split('\n')) {
    if (/^ {2}\S/.test(line)) entries.push([line]);
    else if (line.trim() && entries.length) entries.at(-1)!.push(line);
  }
  return entries.filter(([first]) => !/^ {2}(help|verify)\b/.test(first!));
}

/** The full help: the client commands, then the operator commands of src/cli.ts under `admin`. */
export function fullHelp(adminHelp: string | undefined): string {
  const entries = adminHelp ? adminEntries(adminHelp) : [];
  const admin = entries.length
    ? entries
        .map(([first, ...more]) => [first!.replace(/^ {2}/, '  admin '), ...more].join('\n'))
        .join('\n')
    : '  admin …                (could not read the operator commands: mcps-ta admin help)';
  return `${CLIENT_HELP}
For TA operators, on the TA's own database (DATABASE_URL or the PGlite in DATA_DIR; the same as
npm run ta -- …; with PGlite they refuse, exit 4, while the service runs):
${admin}
  admin help              The operator commands' own help
`;
}
