import type { ChartSize } from './chart.js';
import type { GatewayError } from './errors.js';
import type { LiveStatusBadgeFragment } from './generated/graphql.js';
import { element, panel, type Panel } from './panel.js';

/**
 * A live panel on the page: its chart panel, its status badge and how many pushes it got. The badge
 * shows the push's state (`LIVE`, `PAUSED · UPSTREAM_RATE_LIMITED`, …), `error · <code>` when the
 * subscription ended with one, `off` when it was never opened.
 */
export interface LiveView {
  readonly panel: Panel;
  /** Before subscribing: loading, badge "connecting", no pushes yet. */
  connecting(): void;
  /** A push arrived: count it, and show its state (and code, when PAUSED or FAILING) on the badge. */
  pushed(status: LiveStatusBadgeFragment): void;
  /** The subscription ended with an error: worded in the panel, its code on the badge. */
  failed(errors: readonly GatewayError[]): void;
  /** Not subscribed (the credential was refused by the query before): worded, badge "off". */
  off(errors: readonly GatewayError[]): void;
}

/** A live panel's chart is small: its title names its one line, so no legend. */
const LIVE_CHART: ChartSize = { height: 120, legend: false };

/** Makes one section per live panel from index.html's `#live-panel` template, in `row`; keyed by id. */
export function mountLiveViews(row: HTMLElement, panels: readonly { readonly id: string; readonly title: string }[]): ReadonlyMap<string, LiveView> {
  const template = element<HTMLTemplateElement>('#live-panel');
  const views = new Map<string, LiveView>();
  for (const { id, title } of panels) {
    const section = element('section', template.content.cloneNode(true) as DocumentFragment);
    section.id = id;
    element('.title', section).textContent = title;
    row.append(section);
    views.set(id, liveView(panel(section, LIVE_CHART), element('.state', section)));
  }
  return views;
}

function liveView(view: Panel, badge: HTMLElement): LiveView {
  const show = (state: string, code?: string): void => {
    badge.textContent = code ? `${state} · ${code}` : state;
    badge.dataset['state'] = state;
  };
  return {
    panel: view,
    connecting() {
      view.loading();
      view.root.dataset['pushes'] = '0';
      show('connecting');
    },
    pushed(status) {
      view.root.dataset['pushes'] = String(Number(view.root.dataset['pushes'] ?? '0') + 1);
      show(status.state, status.code ?? undefined);
    },
    failed(errors) {
      view.fail(errors);
      show('error', codeOf(errors));
    },
    off(errors) {
      view.fail(errors);
      show('off', codeOf(errors));
    },
  };
}

/** The first error's gateway code, else the socket's close code (liveErrors.ts). */
function codeOf(errors: readonly GatewayError[]): string | undefined {
  const extensions = errors[0]?.extensions;
  const code = extensions?.['code'] ?? extensions?.['closeCode'];
  return code === undefined ? undefined : String(code);
}
