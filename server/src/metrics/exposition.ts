/**
 * The Prometheus text exposition format, version 0.0.4: per family a HELP
 * and a TYPE line, then its samples `name{label="value"} number`.
 */

/** The Content-Type Prometheus expects for this format. */
export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export interface Family {
  name: string;
  help: string;
  type: 'counter' | 'gauge';
  /** One sample without labels, or one per label set. */
  samples: number | { labels: Record<string, string>; value: number }[];
}

/** The families as exposition text (ends with a newline). */
export function exposition(families: readonly Family[]): string {
  const lines: string[] = [];
  for (const family of families) {
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.type}`);
    if (typeof family.samples === 'number') {
      lines.push(`${family.name} ${formatValue(family.samples)}`);
      continue;
    }
    for (const { labels, value } of family.samples) {
      const pairs = Object.entries(labels).map(([key, text]) => `${key}="${escapeLabel(text)}"`);
      lines.push(`${family.name}{${pairs.join(',')}} ${formatValue(value)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function escapeHelp(text: string): string {
  return text.replaceAll('\\', '\\\\').replaceAll('\n', '\\n');
}

function escapeLabel(text: string): string {
  return text.replaceAll('\\', '\\\\').replaceAll('\n', '\\n').replaceAll('"', '\\"');
}
