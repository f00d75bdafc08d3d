// Addresses of manifest pages in the admin UI: a version of a server, and the diff of two.
import { hrefWith } from '../ui/pager.js';
import { serverHref } from './passport-table.js';

/** The page of one version: /admin/servers/<namespace>/<name>/versions/<version>. */
export function manifestHref(m: { serverName: string; version: string }): string {
  return `${serverHref(m.serverName)}/versions/${encodeURIComponent(m.version)}`;
}

/** What changed from version `from` to version `to` of `serverName`. */
export function diffHref(serverName: string, from: string, to: string): string {
  return hrefWith(`${serverHref(serverName)}/diff`, { from, to });
}
