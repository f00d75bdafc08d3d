// Keyset pagination controls: back to the first page, and on to the next one.

export interface PagerProps {
  /** The list without a cursor; omitted on the first page. */
  firstHref?: string | undefined;
  /** The next page, or null on the last page. */
  nextHref: string | null;
  nextLabel?: string;
}

export function Pager({ firstHref, nextHref, nextLabel = 'Next page' }: PagerProps) {
  if (!firstHref && !nextHref) return null;
  return (
    <nav class="pager" aria-label="Pages">
      {firstHref ? <a href={firstHref}>« First page</a> : null}
      {nextHref ? (
        <a href={nextHref} rel="next">
          {nextLabel} »
        </a>
      ) : (
        <span class="muted">End of list</span>
      )}
    </nav>
  );
}

/** `base` with `params` set (empty values removed): `/admin/x?search=a&cursor=…`. */
export function hrefWith(base: string, params: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `${base}?${s}` : base;
}
