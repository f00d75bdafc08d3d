// Status badges: the word is always written out and carries a symbol, so status is readable
// without colour (WCAG 1.4.1); the colour only repeats it.

type Tone = 'good' | 'bad' | 'warn' | 'muted' | 'neutral';

const TONE: Record<string, Tone> = {
  active: 'good',
  valid: 'good',
  verified: 'good',
  approved: 'good',
  published: 'good',
  ok: 'good',
  revoked: 'bad',
  yanked: 'bad',
  rejected: 'bad',
  broken: 'bad',
  compromised: 'bad',
  retiring: 'warn',
  pending: 'warn',
  deprecated: 'warn',
  expired: 'muted',
  retired: 'muted',
  superseded: 'muted',
};

const SYMBOL: Record<Tone, string> = { good: '✓', bad: '✕', warn: '!', muted: '○', neutral: '•' };

/** e.g. `<StatusBadge status="revoked" />` → "✕ revoked" in a bordered pill. */
export function StatusBadge({ status, label }: { status: string; label?: string }) {
  const tone = TONE[status] ?? 'neutral';
  return (
    <span class={`badge badge-${tone}`} data-status={status}>
      <span aria-hidden="true">{SYMBOL[tone]} </span>
      {label ?? status}
    </span>
  );
}
