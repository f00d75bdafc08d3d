// Issuances and revocations per UTC day as an inline SVG bar chart, drawn on the server (no
// script, CSP-clean: presentation attributes only), with the same figures as a table. Revocation
// bars are hatched, issuance bars solid, so the chart reads without colour.
import type { DailyActivity } from '../../../src/ops/dashboard.js';

const W = 720;
const H = 180;
const PAD = { left: 36, right: 8, top: 12, bottom: 28 };

export function ActivityChart({ days, id = 'activity' }: { days: DailyActivity[]; id?: string }) {
  const max = Math.max(1, ...days.map((d) => Math.max(d.issued, d.revoked)));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / days.length;
  const bar = Math.max(1, (slot - 2) / 2);
  const y = (n: number) => PAD.top + plotH - (n / max) * plotH;
  const total = (k: 'issued' | 'revoked') => days.reduce((a, d) => a + d[k], 0);
  const first = days[0]?.day ?? '';
  const last = days[days.length - 1]?.day ?? '';
  return (
    <figure class="chart" aria-labelledby={`${id}-caption`}>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-labelledby={`${id}-title`}
        xmlns="http://www.w3.org/2000/svg"
        class="chart-svg"
      >
        <title id={`${id}-title`}>
          {`Issuances (${total('issued')}) and revocations (${total('revoked')}) per day, ${first} to ${last}; the table below has every figure.`}
        </title>
        <defs>
          <pattern
            id={`${id}-hatch`}
            width="6"
            height="6"
            patternUnits="userSpaceOnUse"
            patternTransform="rotate(45)"
          >
            <rect width="6" height="6" fill="#ffffff" />
            <line x1="0" y1="0" x2="0" y2="6" stroke="#a40e26" stroke-width="3" />
          </pattern>
        </defs>
        <line
          x1={PAD.left}
          y1={PAD.top + plotH}
          x2={W - PAD.right}
          y2={PAD.top + plotH}
          stroke="#1b1f24"
        />
        <line x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={PAD.top + plotH} stroke="#1b1f24" />
        <text x={PAD.left - 4} y={PAD.top + 4} text-anchor="end" font-size="11" fill="#1b1f24">
          {max}
        </text>
        <text x={PAD.left - 4} y={PAD.top + plotH} text-anchor="end" font-size="11" fill="#1b1f24">
          0
        </text>
        {days.map((d, i) => {
          const x = PAD.left + i * slot + 1;
          return (
            <g>
              {d.issued > 0 ? (
                <rect
                  x={x}
                  y={y(d.issued)}
                  width={bar}
                  height={PAD.top + plotH - y(d.issued)}
                  fill="#0a4fa8"
                />
              ) : null}
              {d.revoked > 0 ? (
                <rect
                  x={x + bar}
                  y={y(d.revoked)}
                  width={bar}
                  height={PAD.top + plotH - y(d.revoked)}
                  fill={`url(#${id}-hatch)`}
                  stroke="#a40e26"
                />
              ) : null}
            </g>
          );
        })}
        <text x={PAD.left} y={H - 8} font-size="11" fill="#1b1f24">
          {first}
        </text>
        <text x={W - PAD.right} y={H - 8} font-size="11" text-anchor="end" fill="#1b1f24">
          {last}
        </text>
      </svg>
      <figcaption id={`${id}-caption`}>
        <span class="legend-solid" aria-hidden="true"></span> issued (passports + certificates) ·{' '}
        <span class="legend-hatched" aria-hidden="true"></span> revoked (every kind) — per UTC day,
        last {days.length} days.
      </figcaption>
      <details>
        <summary>The chart as a table</summary>
        <div
          class="table-wrap"
          role="region"
          aria-label="Issuances and revocations per day"
          tabindex={0}
        >
          <table>
            <caption>Issuances and revocations per day</caption>
            <thead>
              <tr>
                <th scope="col">Day (UTC)</th>
                <th scope="col" class="num">
                  Issued
                </th>
                <th scope="col" class="num">
                  Revoked
                </th>
              </tr>
            </thead>
            <tbody>
              {days.map((d) => (
                <tr>
                  <td>{d.day}</td>
                  <td class="num">{d.issued}</td>
                  <td class="num">{d.revoked}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
