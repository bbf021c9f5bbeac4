/**
 * Safari on the iPhone ignores `interactive-widget=resizes-content` (index.html): its on-screen
 * keyboard shrinks only the visual viewport, so the full-screen chat panel kept the whole layout
 * height and the keyboard covered its bottom — the message box being typed in. While the panel
 * covers the page it follows the visual viewport instead (screens.css reads the two properties).
 * Not while pinch-zoomed: the panel would shrink into the zoomed area instead of being zoomed.
 */
import { useEffect, type RefObject } from 'react';

const HEIGHT = '--visual-viewport-height';
const TOP = '--visual-viewport-top';

export function useFitToVisualViewport(panel: RefObject<HTMLElement | null>, active: boolean): void {
  useEffect(() => {
    const viewport = window.visualViewport;
    const el = panel.current;
    if (!active || !viewport || !el) return;
    const fit = () => {
      const zoomed = Math.abs(viewport.scale - 1) > 0.01;
      // Below the layout's height by more than rounding: something (the keyboard) covers the rest.
      if (!zoomed && viewport.height < window.innerHeight - 1) {
        el.style.setProperty(HEIGHT, `${viewport.height}px`);
        el.style.setProperty(TOP, `${viewport.offsetTop}px`);
      } else {
        el.style.removeProperty(HEIGHT);
        el.style.removeProperty(TOP);
      }
    };
    fit();
    viewport.addEventListener('resize', fit);
    // Safari scrolls the layout under the visual viewport to show the focused field.
    viewport.addEventListener('scroll', fit);
    return () => {
      viewport.removeEventListener('resize', fit);
      viewport.removeEventListener('scroll', fit);
      el.style.removeProperty(HEIGHT);
      el.style.removeProperty(TOP);
    };
  }, [panel, active]);
}
