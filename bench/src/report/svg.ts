/**
 * Small hand-made SVG charts for docs/performance.md (no chart dependency):
 * a line chart (latency against offered rate) and a horizontal bar chart.
 */

export interface Series {
  name: string;
  color: string;
  points: { x: number; y: number }[];
}

const WIDTH = 640;
const HEIGHT = 320;
const PAD = { left: 64, right: 150, top: 36, bottom: 48 };

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function niceMax(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
}

/** A line chart; `limit` draws a dashed horizontal line (e.g. the 100 ms p99 bar). */
export function lineChart(options: {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  limit?: { y: number; label: string };
}): string {
  const all = options.series.flatMap((s) => s.points);
  const xMax = niceMax(Math.max(1, ...all.map((p) => p.x)));
  const yMax = niceMax(Math.max(1, options.limit?.y ?? 0, ...all.map((p) => p.y)) * 1.05);
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const sx = (x: number): number => PAD.left + (x / xMax) * plotW;
  const sy = (y: number): number => PAD.top + plotH - (Math.min(y, yMax) / yMax) * plotH;
  const parts: string[] = [];
  for (let i = 0; i <= 5; i += 1) {
    const yv = (yMax / 5) * i;
    const xv = (xMax / 5) * i;
    parts.push(`<line x1="${PAD.left}" x2="${PAD.left + plotW}" y1="${sy(yv)}" y2="${sy(yv)}" stroke="#e5e7eb"/>`);
    parts.push(`<text x="${PAD.left - 6}" y="${sy(yv) + 4}" text-anchor="end">${fmt(yv)}</text>`);
    parts.push(`<text x="${sx(xv)}" y="${PAD.top + plotH + 16}" text-anchor="middle">${fmt(xv)}</text>`);
  }
  if (options.limit) {
    const y = sy(options.limit.y);
    parts.push(`<line x1="${PAD.left}" x2="${PAD.left + plotW}" y1="${y}" y2="${y}" stroke="#dc2626" stroke-dasharray="6 4"/>`);
    parts.push(`<text x="${PAD.left + plotW - 4}" y="${y - 4}" text-anchor="end" fill="#dc2626">${esc(options.limit.label)}</text>`);
  }
  options.series.forEach((series, index) => {
    const d = series.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' ');
    parts.push(`<path d="${d}" fill="none" stroke="${series.color}" stroke-width="2"/>`);
    for (const p of series.points) parts.push(`<circle cx="${sx(p.x).toFixed(1)}" cy="${sy(p.y).toFixed(1)}" r="3" fill="${series.color}"/>`);
    const ly = PAD.top + 10 + index * 18;
    parts.push(`<rect x="${WIDTH - PAD.right + 12}" y="${ly - 8}" width="12" height="4" fill="${series.color}"/>`);
    parts.push(`<text x="${WIDTH - PAD.right + 30}" y="${ly - 2}">${esc(series.name)}</text>`);
  });
  parts.push(`<text x="${PAD.left + plotW / 2}" y="${HEIGHT - 10}" text-anchor="middle">${esc(options.xLabel)}</text>`);
  parts.push(
    `<text transform="translate(16 ${PAD.top + plotH / 2}) rotate(-90)" text-anchor="middle">${esc(options.yLabel)}</text>`,
  );
  return frame(options.title, parts);
}

/** Horizontal bars, one per item; `target` draws a dashed vertical line. */
export function barChart(options: {
  title: string;
  unit: string;
  bars: { label: string; value: number; color?: string }[];
  target?: { value: number; label: string };
}): string {
  const rowH = 30;
  const height = PAD.top + options.bars.length * rowH + 40;
  const labelW = 230;
  const plotW = WIDTH - labelW - 90;
  const max = niceMax(Math.max(1, options.target?.value ?? 0, ...options.bars.map((b) => b.value)));
  const sx = (v: number): number => labelW + (v / max) * plotW;
  const parts: string[] = [];
  options.bars.forEach((bar, i) => {
    const y = PAD.top + i * rowH;
    parts.push(`<text x="${labelW - 8}" y="${y + 18}" text-anchor="end">${esc(bar.label)}</text>`);
    parts.push(`<rect x="${labelW}" y="${y + 5}" width="${Math.max(1, sx(bar.value) - labelW).toFixed(1)}" height="${rowH - 10}" fill="${bar.color ?? '#2563eb'}"/>`);
    parts.push(`<text x="${(sx(bar.value) + 6).toFixed(1)}" y="${y + 18}">${fmt(bar.value)} ${esc(options.unit)}</text>`);
  });
  if (options.target) {
    const x = sx(options.target.value);
    parts.push(`<line x1="${x}" x2="${x}" y1="${PAD.top}" y2="${height - 30}" stroke="#dc2626" stroke-dasharray="6 4"/>`);
    parts.push(`<text x="${x}" y="${height - 14}" text-anchor="middle" fill="#dc2626">${esc(options.target.label)}</text>`);
  }
  return frame(options.title, parts, height);
}

function frame(title: string, parts: string[], height = HEIGHT): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${WIDTH / 2}" y="20" text-anchor="middle" font-size="14" font-weight="600">${esc(title)}</text>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}

function fmt(n: number): string {
  if (n >= 10_000) return `${Math.round(n / 1000)}k`;
  if (n >= 100) return n.toFixed(0);
  if (n >= 10) return n.toFixed(1).replace(/\.0$/, '');
  return n.toFixed(2).replace(/\.?0+$/, '') || '0';
}
