import { describe, expect, it } from 'vitest';
import { barChart, lineChart } from './svg.ts';

describe('SVG charts', () => {
  it('draws one line per series, the limit line, and escapes labels', () => {
    const svg = lineChart({
      title: 'p99 <by> rate & more',
      xLabel: 'msgs/s',
      yLabel: 'ms',
      series: [
        { name: 'ours', color: '#00f', points: [{ x: 1000, y: 5 }, { x: 2000, y: 9 }] },
        { name: 'peer', color: '#f00', points: [{ x: 500, y: 20 }] },
      ],
      limit: { y: 100, label: '100 ms bar' },
    });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<path /g)).toHaveLength(2);
    expect(svg.match(/<circle /g)).toHaveLength(3);
    expect(svg).toContain('p99 &lt;by&gt; rate &amp; more');
    expect(svg).toContain('stroke-dasharray');
    expect(svg).not.toContain('NaN');
  });

  it('draws bars proportional to their values', () => {
    const svg = barChart({
      title: 'rate',
      unit: 'msgs/s',
      bars: [
        { label: 'a', value: 1000 },
        { label: 'b', value: 4000 },
      ],
    });
    const widths = [...svg.matchAll(/<rect x="\d+" y="[\d.]+" width="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(widths).toHaveLength(2);
    expect((widths[1] ?? 0) / (widths[0] ?? 1)).toBeCloseTo(4, 1);
    expect(svg).not.toContain('NaN');
  });
});
