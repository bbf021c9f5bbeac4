/**
 * The address the login throttle counts a client under: an IPv4 address as
 * it is (also when written IPv4-mapped, `::ffff:1.2.3.4`), an IPv6 address by
 * its /64 — one host is usually handed a whole /64, so counting single IPv6
 * addresses would give an attacker 2^64 fresh counters.
 */
import { isIPv4, isIPv6 } from 'node:net';

export function throttleAddress(address: string): string {
  if (isIPv4(address)) return address;
  if (!isIPv6(address)) return address;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return mapped[1];
  return `${expandIPv6(address).slice(0, 4).join(':')}::/64`;
}

/** The eight groups of an IPv6 address, without leading zeros (`isIPv6` already passed). */
function expandIPv6(address: string): string[] {
  const [head = '', tail] = address.split('%', 1)[0]?.toLowerCase().split('::') ?? [''];
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  const left = groups(head);
  const right = groups(tail);
  const middle = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...middle, ...right].map((g) => (g.includes('.') ? g : g.replace(/^0+(?=.)/, '')));
}
