import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { countBrazeCalls } from './brazeCalls.js';
import type { ChartSize } from './chart.js';
import type { GatewayError } from './errors.js';
import {
  LiveEventsDocument,
  LiveKpiDocument,
  LiveRevenueDocument,
  LiveSessionsDocument,
  type EventPanelFragment,
  type Kpi,
  type KpiPanelFragment,
  type LiveStatusBadgeFragment,
  type RevenuePanelFragment,
  type SessionPanelFragment,
} from './generated/graphql.js';
import type { LiveConnection } from './live.js';
import { element, freshness, panel, type Drawing, type Panel } from './panel.js';
import type { Settings } from './settings.js';

/** What every live document answers: its root field is aliased `live` (see src/panels/*.graphql). */
interface LiveData<Series> {
  readonly live: { readonly series: Series | null; readonly status: LiveStatusBadgeFragment };
}

/** One live panel as the table below writes it: a typed subscription and what to draw of its series. */
interface LivePanelDefinition<Series, Variables extends Record<string, unknown>> {
  /** The section's id in the page (`#live-dau`, …). */
  readonly id: string;
  readonly title: string;
  readonly document: TypedDocumentNode<LiveData<Series>, Variables>;
  readonly variables: (length: number) => Variables;
  readonly draw: (series: Series) => Drawing & { readonly brazeCalls: number };
}

/** A live panel with its types checked and put away, so panels of different documents share one list. */
export interface LivePanel {
  readonly id: string;
  readonly title: string;
  /** Subscribes on `connection` for a window of `length` days and draws into `view`; returns the stop. */
  subscribe(connection: LiveConnection, length: number, view: LiveView): () => void;
}

function livePanel<Series, Variables extends Record<string, unknown>>(definition: LivePanelDefinition<Series, Variables>): LivePanel {
  const { id, title, document, variables, draw } = definition;
  return {
    id,
    title,
    subscribe: (connection, length, view) =>
      connection.subscribe(document, variables(length), {
        onPush: ({ live: { series, status } }, errors) => {
          view.pushed(status);
          if (series) {
            const drawing = draw(series);
            countBrazeCalls(drawing.brazeCalls);
            view.panel.show(drawing);
          }
          // PAUSED or FAILING: the last numbers stay drawn, with the reason worded as for a query.
          if (status.code) view.panel.fail([{ message: status.reason ?? '', extensions: { code: status.code, retryAt: status.retryAt } }]);
          else if (!series && errors.length > 0) view.failed(errors);
        },
        onError: (errors) => view.failed(errors),
      }),
  };
}

/** Each point's value as the chart's one line, and the latest one in the note. */
function countDrawing(label: string, series: { readonly brazeCalls: number; readonly fetchedAt: string; readonly points: readonly { readonly time: string; readonly value: number }[] }) {
  const latest = series.points.at(-1)?.value;
  return {
    brazeCalls: series.brazeCalls,
    note: `latest ${latest ?? '–'}, ${freshness(series.fetchedAt)}`,
    times: series.points.map((p) => p.time),
    lines: [{ label, values: series.points.map((p) => p.value) }],
  };
}

const kpi = (id: string, title: string, which: Kpi): LivePanel =>
  livePanel({ id, title, document: LiveKpiDocument, variables: (length) => ({ kpi: which, length }), draw: (series: KpiPanelFragment) => countDrawing(title.toLowerCase(), series) });

const events = (id: string, event: string): LivePanel =>
  livePanel({ id, title: `Event ${event}`, document: LiveEventsDocument, variables: (length) => ({ event, length }), draw: (series: EventPanelFragment) => countDrawing(series.event, series) });

/**
 * The live row: more live panels than a browser opens connections to one host (Chromium: six over
 * HTTP/1.1), which only works because they share one WebSocket. Each is one Braze poll per interval,
 * shared with every other page watching the same series.
 */
export function livePanels(settings: Settings): readonly LivePanel[] {
  return [
    kpi('live-dau', 'Daily active users', 'DAILY_ACTIVE_USERS'),
    kpi('live-mau', 'Monthly active users', 'MONTHLY_ACTIVE_USERS'),
    kpi('live-new-users', 'New users', 'NEW_USERS'),
    kpi('live-uninstalls', 'Uninstalls', 'UNINSTALLS'),
    livePanel({
      id: 'live-sessions',
      title: 'Sessions',
      document: LiveSessionsDocument,
      variables: (length) => ({ length }),
      draw: (series: SessionPanelFragment) => countDrawing('sessions', series),
    }),
    events('live-event', settings.event),
    events('live-second-event', settings.secondEvent),
    livePanel({
      id: 'live-revenue',
      title: 'Purchase revenue',
      document: LiveRevenueDocument,
      variables: (length) => ({ length }),
      // `measure: REVENUE` always answers a PurchaseRevenueSeries; the type says it could be quantities.
      draw: (series) => {
        if (series.__typename !== 'PurchaseRevenueSeries') throw new Error(`asked for revenue, got a ${series.__typename}`);
        return revenueDrawing(series);
      },
    }),
  ];
}

/** Revenue is an exact Decimal string: the note shows the total as sent, the chart plots numbers. */
function revenueDrawing(series: RevenuePanelFragment): Drawing & { readonly brazeCalls: number } {
  return {
    brazeCalls: series.brazeCalls,
    note: `${series.total} in total, ${freshness(series.fetchedAt)}`,
    times: series.points.map((p) => p.time),
    lines: [{ label: 'revenue', values: series.points.map((p) => Number(p.value)) }],
  };
}

/** A live panel on the page: its chart panel, its status badge, and how many pushes it got. */
export interface LiveView {
  readonly panel: Panel;
  /** Before subscribing: loading, badge "connecting", no pushes yet. */
  connecting(): void;
  /** A push arrived: the badge shows its state (and code, when PAUSED or FAILING). */
  pushed(status: LiveStatusBadgeFragment): void;
  /** The subscription ended with an error: worded in the panel, its code on the badge. */
  failed(errors: readonly GatewayError[]): void;
  /** Not subscribed (the credential was refused before): the badge says off. */
  off(errors: readonly GatewayError[]): void;
}

const LIVE_CHART: ChartSize = { height: 120, legend: false };

/** Makes each live panel's section from index.html's template, in `row`. */
export function mountLivePanels(row: HTMLElement, panels: readonly LivePanel[]): Map<string, LiveView> {
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
    if (code) badge.dataset['code'] = code;
    else delete badge.dataset['code'];
  };
  const codeOf = (errors: readonly GatewayError[]): string | undefined => {
    const extensions = errors[0]?.extensions;
    const code = extensions?.['code'] ?? extensions?.['closeCode'];
    return code === undefined ? undefined : String(code);
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

/**
 * Subscribes every live panel on `connection`. Each `subscribe` returns its own stop, for a page that
 * removes one panel; this page ends them all at once by disposing the connection.
 */
export function goLive(connection: LiveConnection, panels: readonly LivePanel[], views: ReadonlyMap<string, LiveView>, length: number): void {
  for (const each of panels) {
    const view = views.get(each.id);
    if (!view) throw new Error(`no view for live panel ${each.id}`);
    view.connecting();
    each.subscribe(connection, length, view);
  }
}
