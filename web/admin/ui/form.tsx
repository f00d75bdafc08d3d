// Form controls with visible labels, hints and per-field errors tied to their input
// (aria-describedby / aria-invalid), plus the hidden CSRF field every POST form needs.
import type { Child } from 'hono/jsx';
import type { FieldIssue } from '../../../src/errors.js';
import { CSRF_FIELD } from '../csrf.js';

export function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name={CSRF_FIELD} value={token} />;
}

/** The message for `name` among `issues` (fields are named `body.<name>` like API problems). */
export function issueFor(issues: FieldIssue[] | undefined, name: string): string | undefined {
  return issues?.find((i) => i.field === `body.${name}` || i.field === name)?.message;
}

export function ErrorSummary({ issues, message }: { issues?: FieldIssue[]; message?: string }) {
  if (!message && (!issues || issues.length === 0)) return null;
  return (
    <div class="alert alert-error" role="alert">
      <p>
        <strong>Error: </strong>
        {message ?? 'please correct the fields below.'}
      </p>
    </div>
  );
}

interface FieldProps {
  name: string;
  label: string;
  hint?: string;
  error?: string | undefined;
}

function describedBy(p: FieldProps): string | undefined {
  const ids = [p.hint ? `${p.name}-hint` : '', p.error ? `${p.name}-error` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

function FieldFrame(p: FieldProps & { children: Child }) {
  return (
    <div class={p.error ? 'field field-invalid' : 'field'}>
      <label for={p.name}>{p.label}</label>
      {p.hint ? (
        <p class="hint" id={`${p.name}-hint`}>
          {p.hint}
        </p>
      ) : null}
      {p.error ? (
        <p class="field-error" id={`${p.name}-error`}>
          <span aria-hidden="true">✕ </span>
          {p.error}
        </p>
      ) : null}
      {p.children}
    </div>
  );
}

export function TextField(
  p: FieldProps & {
    value?: string | undefined;
    type?: string;
    required?: boolean;
    autocomplete?: string;
    maxlength?: number;
  },
) {
  return (
    <FieldFrame {...p}>
      <input
        id={p.name}
        name={p.name}
        type={p.type ?? 'text'}
        value={p.value ?? ''}
        required={p.required}
        autocomplete={p.autocomplete}
        maxlength={p.maxlength}
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={describedBy(p)}
      />
    </FieldFrame>
  );
}

export interface Option {
  value: string;
  label: string;
}

export function SelectField(p: FieldProps & { options: Option[]; value?: string | undefined }) {
  return (
    <FieldFrame {...p}>
      <select
        id={p.name}
        name={p.name}
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={describedBy(p)}
      >
        {p.options.map((o) => (
          <option value={o.value} selected={o.value === p.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}
