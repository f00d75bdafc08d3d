// Word-level text diff (Myers' O(ND) algorithm, "An O(ND) Difference Algorithm and Its
// Variations", 1986) over word, whitespace and punctuation tokens. Pure, no dependencies: the
// admin UI's rug-pull review, the manifest diff API and the `mcps-ta manifest diff` CLI share it.

export type WordOp = 'equal' | 'insert' | 'delete';

/** One run of text: unchanged, only in `after` (insert) or only in `before` (delete). */
export interface WordChange {
  op: WordOp;
  text: string;
}

/**
 * Above this many edits between the trimmed texts, the middle is reported as one deletion and one
 * insertion instead (bounds time and memory at O((N+M)·D) for hostile inputs of any size).
 */
export const MAX_EDIT_DISTANCE = 4000;

/** Words (letters, digits, `_`), runs of whitespace, and single other characters. */
export function tokenize(text: string): string[] {
  return text.match(/[\p{L}\p{N}_]+|\s+|[^\p{L}\p{N}_\s]/gu) ?? [];
}

function push(out: WordChange[], op: WordOp, text: string): void {
  if (text === '') return;
  const last = out[out.length - 1];
  if (last && last.op === op) last.text += text;
  else out.push({ op, text });
}

/** The shortest edit script from `a` to `b` as (op, token) pairs, or undefined past `maxD`. */
function myers(a: string[], b: string[], maxD: number): Array<[WordOp, string]> | undefined {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, maxD);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!)
          ? v[offset + k + 1]!
          : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, a, b, d, offset);
    }
  }
  return undefined;
}

function backtrack(
  trace: Int32Array[],
  a: string[],
  b: string[],
  dEnd: number,
  offset: number,
): Array<[WordOp, string]> {
  const ops: Array<[WordOp, string]> = [];
  let x = a.length;
  let y = b.length;
  for (let d = dEnd; d > 0; d--) {
    const v = trace[d]!; // the state before round d
    const k = x - y;
    const down = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!);
    const prevK = down ? k + 1 : k - 1;
    const prevX = v[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) (ops.push(['equal', a[--x]!]), y--);
    if (down) ops.push(['insert', b[--y]!]);
    else ops.push(['delete', a[--x]!]);
  }
  while (x > 0 && y > 0) (ops.push(['equal', a[--x]!]), y--);
  return ops.reverse();
}

/**
 * The word-level changes from `before` to `after`: the `equal` and `delete` texts concatenated
 * give `before`, the `equal` and `insert` texts give `after`; adjacent runs of one op are merged,
 * and within a changed stretch deletions come before insertions.
 *
 * @example diffWords('read a file', 'read a file and ~/.ssh/id_rsa')
 *   // [{op:'equal', text:'read a file'}, {op:'insert', text:' and ~/.ssh/id_rsa'}]
 */
export function diffWords(before: string, after: string): WordChange[] {
  const a = tokenize(before);
  const b = tokenize(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) (endA--, endB--);

  const out: WordChange[] = [];
  push(out, 'equal', a.slice(0, start).join(''));
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  const script = myers(midA, midB, MAX_EDIT_DISTANCE) ?? [
    ...midA.map((t): [WordOp, string] => ['delete', t]),
    ...midB.map((t): [WordOp, string] => ['insert', t]),
  ];
  // Deletions before insertions inside each changed stretch, so "old → new" reads in order.
  let dels = '';
  let ins = '';
  const flush = () => {
    push(out, 'delete', dels);
    push(out, 'insert', ins);
    dels = ins = '';
  };
  for (const [op, t] of script) {
    if (op === 'delete') dels += t;
    else if (op === 'insert') ins += t;
    else {
      flush();
      push(out, 'equal', t);
    }
  }
  flush();
  push(out, 'equal', a.slice(endA).join(''));
  return out;
}

/** True when the diff has no insertion or deletion. */
export function unchanged(changes: WordChange[]): boolean {
  return changes.every((c) => c.op === 'equal');
}
