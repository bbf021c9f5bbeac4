/**
 * Whether text is typed on an on-screen keyboard: a touch screen with no mouse (a phone, a
 * tablet). Focusing a text box there raises the keyboard over half the screen, so a room opened
 * to be read does not put the focus in its message box (a tap on it does).
 */
export function typesOnScreen(): boolean {
  return typeof window.matchMedia === 'function' && window.matchMedia('(hover: none) and (pointer: coarse)').matches;
}
