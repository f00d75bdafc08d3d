// Which webhook URLs may be registered. The real SSRF guard runs at delivery time (guarded POST:
// every resolved address checked, no redirects); this early check refuses what can never pass it,
// so the owner learns at registration: https only, no credentials, no non-public IP literal or
// localhost — all relaxed when private targets are allowed (local development and tests).
import { isIP } from 'node:net';
import { InvalidRequestError } from '../errors.js';
import { isLoopbackHost, isPublicAddress } from '../net/public-address.js';
import { URL_MAX } from './webhook.js';

/** The normalised URL, or a 400 naming `body.url`. */
export function checkWebhookUrl(raw: string, allowPrivate: boolean): string {
  const bad = (message: string) => InvalidRequestError.field('body.url', message);
  if (raw.length > URL_MAX) throw bad(`must be at most ${URL_MAX} characters`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw bad('must be an absolute URL');
  }
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:'))
    throw bad('must be an https URL');
  if (url.username || url.password) throw bad('must not carry credentials');
  if (url.hash) throw bad('must not have a fragment');
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!allowPrivate && (isLoopbackHost(url.hostname) || (isIP(host) && !isPublicAddress(host)))) {
    throw bad('must point to a public address');
  }
  return url.toString();
}
