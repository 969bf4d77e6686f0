import { element } from './panel.js';

/**
 * What the page asked Braze for, shown in the header: the answers' own `brazeCalls` (a long window is
 * several calls), each live push's, plus the campaign list and details calls. The gateway's cache can
 * only make the real count lower.
 */
let asked = 0;

export function countBrazeCalls(calls: number): void {
  asked += calls;
  const counter = element('#braze-calls');
  counter.textContent = String(asked);
  counter.dataset['count'] = String(asked);
}
