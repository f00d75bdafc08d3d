// The search-and-filter form above a list: a GET form, so results are linkable and bookmarkable.
import type { Option } from './form.js';

export interface FilterSpec {
  name: string;
  label: string;
  /** The first option should be "any" with value ''. */
  options: Option[];
}

/** A free-text filter (e.g. a publisher id), checked against `pattern` before any lookup. */
export interface TextFilterSpec {
  name: string;
  label: string;
  /** Placeholder, e.g. `pub_…`. */
  placeholder?: string;
  pattern: RegExp;
  /** Why a value was refused, e.g. "must be a publisher id (pub_ + 32 hex digits)". */
  message: string;
}

export interface SearchFormProps {
  action: string;
  /** Label of the free-text box; omit for lists without search. */
  searchLabel?: string | undefined;
  search?: string | undefined;
  filters?: FilterSpec[] | undefined;
  textFilters?: TextFilterSpec[] | undefined;
  values?: Record<string, string>;
}

export function SearchForm({
  action,
  searchLabel,
  search,
  filters = [],
  textFilters = [],
  values = {},
}: SearchFormProps) {
  return (
    <form class="search-form" method="get" action={action} role="search">
      {searchLabel ? (
        <div class="field">
          <label for="search">{searchLabel}</label>
          <input id="search" name="search" type="search" value={search ?? ''} maxlength={200} />
        </div>
      ) : null}
      {filters.map((f) => (
        <div class="field">
          <label for={`filter-${f.name}`}>{f.label}</label>
          <select id={`filter-${f.name}`} name={f.name} data-autosubmit>
            {f.options.map((o) => (
              <option value={o.value} selected={(values[f.name] ?? '') === o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
      ))}
      {textFilters.map((f) => (
        <div class="field">
          <label for={`filter-${f.name}`}>{f.label}</label>
          <input
            id={`filter-${f.name}`}
            name={f.name}
            type="search"
            value={values[f.name] ?? ''}
            placeholder={f.placeholder}
            maxlength={200}
          />
        </div>
      ))}
      <div class="field field-actions">
        <button type="submit">Apply</button>
        <a href={action}>Clear</a>
      </div>
    </form>
  );
}
