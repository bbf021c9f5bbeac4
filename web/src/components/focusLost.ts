/** Whether keyboard focus has nowhere to be (it fell to <body> when the element holding it went away). */
export function focusLost(): boolean {
  const holder = document.activeElement;
  return holder === null || holder === document.body;
}
