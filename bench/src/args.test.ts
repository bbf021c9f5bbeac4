import { describe, expect, it } from 'vitest';
import { parseCli } from './args.ts';

describe('bench flags', () => {
  it('defaults to the moderate suite on SQLite', () => {
    const args = parseCli([]);
    expect(args).toMatchObject({ suite: 'default', scenarios: null, dbs: ['sqlite'], pin: true, writeDoc: false });
  });

  it('selects scenarios and databases, and the full suite writes the doc', () => {
    const args = parseCli(['--scenario', 'ramp,peer', '--db', 'both', '--rate', '5000', '--no-pin']);
    expect(args.scenarios).toEqual(['ramp', 'peer']);
    expect(args.dbs).toEqual(['sqlite', 'postgres']);
    expect(args.rate).toBe(5000);
    expect(args.pin).toBe(false);
    expect(parseCli(['--suite', 'full']).writeDoc).toBe(true);
    expect([parseCli([]).reads, parseCli(['--reads']).reads]).toEqual([false, true]);
  });

  it('refuses unknown scenarios and unbounded sizes', () => {
    expect(() => parseCli(['--scenario', 'everything'])).toThrow(/unknown scenario/);
    expect(() => parseCli(['--users', '1000000'])).toThrow(/--users/);
    expect(() => parseCli(['--rate', '-3'])).toThrow(/--rate/);
    expect(() => parseCli(['--db', 'mysql'])).toThrow(/--db/);
  });
});
