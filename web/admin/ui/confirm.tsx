// The confirmation step of a destructive action: says what will happen, shows what it applies
// to, and only the POST of this form (with the session's CSRF token) does it.
import type { Child } from 'hono/jsx';
import { DetailList, type DetailItem } from './detail-list.js';
import { CsrfField } from './form.js';

export interface ConfirmProps {
  /** What will happen, as a sentence. */
  question: Child;
  details?: DetailItem[];
  action: string;
  csrf: string;
  confirmLabel: string;
  cancelHref: string;
  /** Extra inputs (e.g. a revocation reason). */
  children?: Child;
}

export function ConfirmForm(p: ConfirmProps) {
  return (
    <section class="confirm" aria-labelledby="confirm-question">
      <p id="confirm-question" class="confirm-question">
        {p.question}
      </p>
      {p.details ? <DetailList items={p.details} /> : null}
      <form method="post" action={p.action}>
        <CsrfField token={p.csrf} />
        {p.children}
        <div class="actions">
          <button type="submit" class="danger">
            {p.confirmLabel}
          </button>
          <a href={p.cancelHref} class="button secondary">
            Cancel
          </a>
        </div>
      </form>
    </section>
  );
}
