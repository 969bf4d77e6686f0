import { drawChart, type ChartSize, type Line } from './chart.js';
import { friendlyMessage, type GatewayError } from './errors.js';

/** What a panel draws: a note (total, freshness) and lines over time. */
export interface Drawing {
  readonly note: string;
  readonly times: readonly string[];
  readonly lines: readonly Line[];
}

/** One panel of the page: a note, a chart and an error line. `data-state` says which it shows. */
export interface Panel {
  readonly root: HTMLElement;
  loading(): void;
  show(drawing: Drawing): void;
  fail(errors: readonly GatewayError[]): void;
}

export function element<T extends HTMLElement = HTMLElement>(selector: string, within: ParentNode = document): T {
  const found = within.querySelector<T>(selector);
  if (!found) throw new Error(`index.html has no ${selector}`);
  return found;
}

/** The panel whose section is `root` (`.note`, `.chart` and `.error` inside it). */
export function panel(root: HTMLElement, chartSize?: ChartSize): Panel {
  const note = element('.note', root);
  const chart = element('.chart', root);
  const error = element('.error', root);
  return {
    root,
    loading(): void {
      root.dataset['state'] = 'loading';
      note.textContent = 'loading…';
      error.textContent = '';
    },
    show({ note: text, times, lines }: Drawing): void {
      root.dataset['state'] = 'ready';
      note.textContent = text;
      error.textContent = '';
      drawChart(chart, times, lines, chartSize);
    },
    fail(errors: readonly GatewayError[]): void {
      root.dataset['state'] = 'error';
      note.textContent = '';
      error.textContent = [...new Set(errors.map((e) => friendlyMessage(e)))].join(' ');
      error.dataset['codes'] = errors.map((e) => String(e.extensions?.['code'] ?? '')).join(',');
    },
  };
}

/** "as of 14:05:09": when Braze gave the numbers. */
export function freshness(fetchedAt: string): string {
  return `as of ${new Date(fetchedAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' })}`;
}
