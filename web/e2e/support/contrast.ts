/**
 * The contrast of text against what it is drawn on, as WCAG 2 computes it, measured in the page:
 * the text's colour and every background under it composited as the browser paints them (each
 * colour's alpha, each ancestor's opacity; the canvas is white). Background images (gradients)
 * and elements drawn over from elsewhere are not taken into account.
 */
import type { Locator } from 'playwright-core';

/** The relative luminance (0 black to 1 white) of an element's text and of what it is drawn on, as painted. */
export interface Luminances {
  text: number;
  background: number;
}

/** The contrast ratio of the element's text (1 to 21), or of its placeholder with `placeholder`. */
export async function contrastOf(element: Locator, part: 'text' | 'placeholder' = 'text'): Promise<number> {
  const { text, background } = await luminancesOf(element, part);
  const [l1, l2] = [text, background].sort((x, y) => y - x) as [number, number];
  return (l1 + 0.05) / (l2 + 0.05);
}

/** The luminances of the element's text (or placeholder) and of its background, composited as contrastOf does. */
export function luminancesOf(element: Locator, part: 'text' | 'placeholder' = 'text'): Promise<Luminances> {
  return element.evaluate((el, which) => {
    type Rgba = [number, number, number, number];
    const parse = (css: string): Rgba => {
      const m = css.match(/rgba?\(([^)]+)\)/);
      if (!m?.[1]) throw new Error(`unreadable colour ${css}`);
      const [r = 0, g = 0, b = 0, a = 1] = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
      return [r, g, b, a];
    };
    /** `top` painted over `under` (both straight alpha). */
    const over = (top: Rgba, under: Rgba): Rgba => {
      const a = top[3] + under[3] * (1 - top[3]);
      if (a === 0) return [0, 0, 0, 0];
      const mix = (i: 0 | 1 | 2) => (top[i] * top[3] + under[i] * under[3] * (1 - top[3])) / a;
      return [mix(0), mix(1), mix(2), a];
    };
    const style = getComputedStyle(el, which === 'placeholder' ? '::placeholder' : null);
    let text = parse(style.color);
    let behind: Rgba = [0, 0, 0, 0];
    for (let node: Element | null = el; node; node = node.parentElement) {
      const s = getComputedStyle(node);
      const bg = parse(s.backgroundColor);
      text = over(text, bg);
      behind = over(behind, bg);
      const opacity = Number(s.opacity);
      text = [text[0], text[1], text[2], text[3] * opacity];
      behind = [behind[0], behind[1], behind[2], behind[3] * opacity];
    }
    const white: Rgba = [255, 255, 255, 1];
    const luminance = (c: Rgba) => {
      const [r, g, b] = [c[0], c[1], c[2]].map((v) => {
        const x = v / 255;
        return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
      }) as [number, number, number];
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    return { text: luminance(over(text, white)), background: luminance(over(behind, white)) };
  }, part);
}

/** WCAG 2 AA for text under 18.66 px bold or 24 px (SC 1.4.3). */
export const AA_TEXT = 4.5;
