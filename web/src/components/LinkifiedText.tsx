/**
 * Message text rendered strictly as text. URLs become links only when they
 * parse as http(s); everything else, markup included, is a plain string that
 * React escapes. No HTML is ever injected.
 */
import type { ReactNode } from 'react';
import { useControlTabIndex } from './rowFocus.ts';

// http(s) addresses, and those written from "www." on, as people type them ("www.example.com/parking").
const URL_PATTERN = /\b(?:https?:\/\/|www\.)[^\s<>"']+/gi;
// "www." then a host with a dot in it: not "www." alone or "www.example" cut short.
const WWW_HOST = /^www\.[^/?#.]+\.[^/?#.]/i;
// Punctuation that usually ends a sentence, not the URL.
const TRAILING = /[.,;:!?)\]]$/;

/**
 * The URL without the sentence's punctuation after it. A closing bracket is
 * the URL's own when it closes one opened inside it (`…/Foo_(bar)`), the
 * sentence's when the URL was written inside brackets (`(see https://x.y)`).
 * The brackets are counted once: counting them again for every character
 * trimmed made a message of one URL and 4,000 `)` take a quarter of a second
 * to show, on every render, in the sender's and the others' tabs.
 */
export function trimUrl(raw: string): string {
  const opened = { ')': count(raw, '('), ']': count(raw, '[') };
  const closed = { ')': count(raw, ')'), ']': count(raw, ']') };
  let end = raw.length;
  for (let last = raw[end - 1]; last !== undefined && TRAILING.test(last); last = raw[end - 1]) {
    if (last === ')' || last === ']') {
      if (opened[last] >= closed[last]) break;
      closed[last] -= 1;
    }
    end -= 1;
  }
  return raw.slice(0, end);
}

function count(text: string, char: string): number {
  return text.split(char).length - 1;
}

/** Returns the URL when it is a safe http(s) link, else null. */
export function safeHref(candidate: string): string | null {
  try {
    const url = new URL(candidate);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

export function LinkifiedText({ text }: { text: string }) {
  const tabIndex = useControlTabIndex();
  const parts: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const start = match.index;
    const raw = match[0];
    const url = trimUrl(raw);
    const href = /^www\./i.test(url) ? (WWW_HOST.test(url) ? safeHref(`https://${url}`) : null) : safeHref(url);
    if (!href) continue;
    if (start > last) parts.push(text.slice(last, start));
    // dir="ltr" isolates the link (unicode-bidi: isolate): a right-to-left override earlier in the
    // message (U+202E) would otherwise show "https://evil.example/moc.elgoog" as "…google.com…".
    parts.push(
      <a key={start} href={href} target="_blank" rel="noopener noreferrer" dir="ltr" tabIndex={tabIndex}>
        {url}
      </a>,
    );
    last = start + url.length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return <>{parts}</>;
}
