// Reverse-DNS namespace names (com.example ↔ example.com) and server names (com.example/weather),
// with the rules that tie a URL's host to a namespace's domain.
import { isLoopbackHost } from '../net/public-address.js';

/** A DNS label (RFC 1035 §2.3.1 with RFC 1123 digits-first): letters, digits, inner hyphens. */
const LABEL = '[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?';

/**
 * Two or more labels, at most 253 characters: `com.example`, `io.github.alice`. Any case is
 * accepted (the official registry holds names such as `io.github.jUXTAPOSITION1/vape`); DNS
 * names are case-insensitive, so namespaces are stored and compared in lower case.
 */
// No `i` flag: the pattern is also published in OpenAPI, where JSON Schema has no flags.
export const NAMESPACE_PATTERN = new RegExp(`^${LABEL}(?:\\.${LABEL})+$`);
export const NAMESPACE_MAX_LENGTH = 253;

/** The part after the slash of a server name (the official registry's server.json pattern). */
export const SERVER_LOCAL_NAME_PATTERN = /^[a-zA-Z0-9._-]+$/;
/** server.json: the whole name is 3–200 characters. */
export const SERVER_NAME_MAX_LENGTH = 200;

/** A problem with a namespace name, or undefined when it is valid. */
export function namespaceProblem(namespace: string): string | undefined {
  if (namespace.length > NAMESPACE_MAX_LENGTH)
    return `must be at most ${NAMESPACE_MAX_LENGTH} characters`;
  if (!NAMESPACE_PATTERN.test(namespace)) {
    return 'must be a reverse-DNS name with at least two labels, e.g. com.example';
  }
  return undefined;
}

/** The DNS domain a namespace stands for: `com.example` → `example.com`. */
export function domainOf(namespace: string): string {
  return namespace.split('.').reverse().join('.');
}

/** The namespace of a DNS domain: `example.com` → `com.example`. */
export function namespaceOfDomain(domain: string): string {
  return domain.toLowerCase().split('.').reverse().join('.');
}

/** `com.example.api` → [`com.example`, `com.example.api`]: the namespace itself and its ancestors of ≥ 2 labels. */
export function namespaceAndAncestors(namespace: string): string[] {
  const labels = namespace.split('.');
  const out: string[] = [];
  for (let n = 2; n <= labels.length; n += 1) out.push(labels.slice(0, n).join('.'));
  return out;
}

/** True when `host` is the namespace's domain or a subdomain of it. */
export function hostWithinNamespace(host: string, namespace: string): boolean {
  const domain = domainOf(namespace);
  const h = host.toLowerCase();
  return h === domain || h.endsWith(`.${domain}`);
}

/** The namespaces a host could belong to: `api.example.com` → [`com.example`, `com.example.api`]. */
export function namespacesCoveringHost(host: string): string[] {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (!h.includes('.') || /^[0-9.]+$/.test(h) || h.includes(':')) return [];
  return namespaceAndAncestors(namespaceOfDomain(h));
}

export interface ParsedServerName {
  namespace: string;
  localName: string;
}

/** Splits and validates `namespace/name`; returns a problem message instead when invalid. */
export function parseServerName(name: string): ParsedServerName | string {
  if (name.length < 3 || name.length > SERVER_NAME_MAX_LENGTH)
    return `must be 3–${SERVER_NAME_MAX_LENGTH} characters`;
  const slash = name.indexOf('/');
  if (slash < 0 || name.indexOf('/', slash + 1) >= 0)
    return 'must be namespace/name with exactly one slash, e.g. com.example/weather';
  const namespace = name.slice(0, slash);
  const localName = name.slice(slash + 1);
  const nsProblem = namespaceProblem(namespace);
  if (nsProblem) return `namespace part ${nsProblem}`;
  if (!SERVER_LOCAL_NAME_PATTERN.test(localName))
    return 'name part must be letters, digits, ".", "_" or "-"';
  // The name is kept as published; its namespace (ownership) is compared in lower case.
  return { namespace: namespace.toLowerCase(), localName };
}

/**
 * Checks the base URL a publisher names for the HTTP challenge of `namespace`: https, no
 * credentials, query or fragment, and a host within the namespace's domain. With
 * `allowPrivate` (local development and tests), plain http and loopback hosts for any namespace.
 */
export function challengeUrlProblem(
  namespace: string,
  url: string,
  allowPrivate: boolean,
): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'must be an absolute https URL';
  }
  const loopback = isLoopbackHost(u.hostname);
  if (u.protocol !== 'https:' && !(allowPrivate && u.protocol === 'http:'))
    return 'must be an https URL';
  if (u.username || u.password) return 'must not carry credentials';
  if (u.search || u.hash) return 'must not have a query or fragment';
  if (allowPrivate && loopback) return undefined;
  if (!hostWithinNamespace(u.hostname, namespace)) {
    return `host must be ${domainOf(namespace)} or a subdomain of it`;
  }
  return undefined;
}

/** `<url>/.well-known/mcps-challenge/<token>` with exactly one slash between the parts. */
export function challengeUrlFor(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/.well-known/mcps-challenge/${token}`;
}
