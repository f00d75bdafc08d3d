// A definition list of a resource's fields: label → value.
import type { Child } from 'hono/jsx';

export type DetailItem = [label: string, value: Child];

export function DetailList({ items }: { items: DetailItem[] }) {
  return (
    <dl class="details">
      {items.map(([label, value]) => (
        <div>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
