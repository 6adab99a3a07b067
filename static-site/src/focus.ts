/**
 * Runs a re-render and puts keyboard focus back on the element with the same id, so live updates (a poll,
 * a language switch, data arriving) never throw a keyboard user back to the top of the page.
 */
export function preservingFocus(render: () => void): void {
  const active = document.activeElement;
  const id = active instanceof HTMLElement && active !== document.body ? active.id : '';
  render();
  if (!id) return;
  const again = document.getElementById(id);
  if (again && again !== document.activeElement) again.focus({ preventScroll: true });
}
