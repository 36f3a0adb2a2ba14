// Keyboard shortcuts of the workspace (issue 15). None of them sends an order: the ticket can be focused, never submitted.
import { useEffect } from 'react';
import type { Timeframe } from '../../src-shared/domain/types';

/** What the shortcuts list (`?`) shows, in this order. */
export const SHORTCUTS: { keys: string; what: string }[] = [
  { keys: 'Type a letter or digit', what: 'Search a symbol for the active chart' },
  { keys: '← / →', what: 'Move the active chart back / forward in time' },
  { keys: 'End', what: 'Scroll the active chart to now' },
  { keys: 'Alt+1 … Alt+4', what: 'Timeframe 1m, 5m, 1h, 1D' },
  { keys: 'Alt+L', what: 'Next layout (1, 2, 4 charts)' },
  { keys: '[ / ]', what: 'Previous / next chart of the layout' },
  { keys: 'Alt+T', what: 'Focus the order ticket (orders are still sent only by a click on Buy or Sell)' },
  { keys: 'Esc', what: 'Close a dialog or the search' },
  { keys: '?', what: 'This list' },
];

export const TIMEFRAME_KEYS: Record<string, Timeframe> = { Digit1: '1m', Digit2: '5m', Digit3: '1h', Digit4: '1d' };

/** True when a key press belongs to a field (typing there must never trigger a shortcut). */
export function typingInField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName);
}

/** Esc closes the topmost dialog of any screen through its own Cancel / Close button (so it cleans up as on a click). */
export function useEscapeClosesDialogs(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      const dialogs = document.querySelectorAll<HTMLElement>('[role="dialog"]');
      const top = dialogs[dialogs.length - 1];
      if (!top) return;
      const close = [...top.querySelectorAll<HTMLButtonElement>('button')].find((b) => /^(cancel|close)$/i.test((b.getAttribute('aria-label') ?? b.textContent ?? '').trim()));
      if (!close) return;
      e.preventDefault();
      close.click();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
