// Origins and origin patterns of passports. A passport's `origin` is an origin
// (`https://api.example.com[:port]`) or, for an intermediate issuer, a pattern whose host may
// start with `*.` — any subdomain, at any depth, of the rest. A child is within its parent when
// every origin the child names is one the parent names.
export interface ParsedOrigin {
  scheme: 'http' | 'https';
  /** Lowercase host without the `*.` prefix. */
  host: string;
  wildcard: boolean;
  port: number;
}

const ORIGIN =
  /^(https?):\/\/(\*\.)?([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*)(?::(\d{1,5}))?$/;

/** Parses an origin (or a pattern if `allowWildcard`); undefined when it is neither. */
export function parseOrigin(value: string, allowWildcard: boolean): ParsedOrigin | undefined {
  if (value.length > 255) return undefined;
  const m = ORIGIN.exec(value);
  if (!m) return undefined;
  const [, scheme, star, host, portText] = m as unknown as [
    string,
    'http' | 'https',
    string | undefined,
    string,
    string | undefined,
  ];
  if (star && !allowWildcard) return undefined;
  const port = portText === undefined ? (scheme === 'https' ? 443 : 80) : Number(portText);
  if (port < 1 || port > 65535) return undefined;
  // A wildcard over a single label (`*.com`) would delegate a whole top-level domain.
  if (star && !host.includes('.')) return undefined;
  return { scheme, host, wildcard: Boolean(star), port };
}

/** True when every origin `child` names is also named by `parent`. */
export function originWithin(child: ParsedOrigin, parent: ParsedOrigin): boolean {
  if (child.scheme !== parent.scheme || child.port !== parent.port) return false;
  if (!parent.wildcard) return !child.wildcard && child.host === parent.host;
  return child.host === parent.host ? child.wildcard : child.host.endsWith(`.${parent.host}`);
}
