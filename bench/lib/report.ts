// Benchmark results: each figure sits beside the physical limit measured in the same run.

export interface Figure {
  value: number;
  unit: string;
  /** How it was measured, in a few words. */
  how: string;
}

export interface BenchResult {
  group: string;
  name: string;
  figure: Figure;
  /** The same-run limit this figure is compared with. */
  limit?: Figure & { name: string };
  /** Extra facts: latency percentiles, memory. */
  details?: string;
  /** For times: the ratio is limit ÷ figure (how close to the floor). */
  lowerIsBetter?: boolean;
}

export function ratio(r: BenchResult): string {
  if (!r.limit || r.limit.value === 0) return '—';
  const x = r.lowerIsBetter ? r.limit.value / r.figure.value : r.figure.value / r.limit.value;
  return `${(x * 100).toFixed(1)} %`;
}

export function fmt(n: number): string {
  if (n >= 100) return Math.round(n).toLocaleString('en-US');
  if (n >= 10) return n.toFixed(1);
  return n.toFixed(2);
}

/** A Markdown table of results. */
export function markdownTable(results: BenchResult[]): string {
  const lines = [
    '| group | benchmark | result | same-run limit | ratio | details |',
    '|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    const limit = r.limit ? `${fmt(r.limit.value)} ${r.limit.unit} (${r.limit.name})` : '—';
    lines.push(
      `| ${r.group} | ${r.name} | ${fmt(r.figure.value)} ${r.figure.unit} | ${limit} | ${ratio(r)} | ${r.details ?? ''} |`,
    );
  }
  return lines.join('\n');
}

/** Plain text for the terminal. */
export function textTable(results: BenchResult[]): string {
  return results
    .map((r) => {
      const limit = r.limit
        ? `  vs ${fmt(r.limit.value)} ${r.limit.unit} ${r.limit.name} (${ratio(r)})`
        : '';
      return `${r.group.padEnd(12)} ${r.name.padEnd(44)} ${`${fmt(r.figure.value)} ${r.figure.unit}`.padStart(18)}${limit}${r.details ? `  [${r.details}]` : ''}`;
    })
    .join('\n');
}
