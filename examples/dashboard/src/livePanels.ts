import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { countBrazeCalls } from './brazeCalls.js';
import {
  LiveEventsDocument,
  LiveKpiDocument,
  LiveRevenueDocument,
  LiveSessionsDocument,
  type Kpi,
  type LiveStatusBadgeFragment,
  type RevenuePanelFragment,
} from './generated/graphql.js';
import type { LiveConnection } from './live.js';
import type { LiveView } from './liveView.js';
import { freshness, type Drawing } from './panel.js';
import type { Settings } from './settings.js';

/**
 * The live row: more live panels than a browser opens connections to one host (Chromium: six over
 * HTTP/1.1), which works because they share one WebSocket (live.ts). Each is one typed subscription
 * (src/panels/*.graphql) and one Braze poll per interval, shared with every page watching that series.
 */
export function livePanels(settings: Settings): readonly LivePanel[] {
  return [
    kpi('live-dau', 'Daily active users', 'DAILY_ACTIVE_USERS'),
    kpi('live-mau', 'Monthly active users', 'MONTHLY_ACTIVE_USERS'),
    kpi('live-new-users', 'New users', 'NEW_USERS'),
    kpi('live-uninstalls', 'Uninstalls', 'UNINSTALLS'),
    livePanel({ id: 'live-sessions', title: 'Sessions', document: LiveSessionsDocument, variables: (length) => ({ length }), draw: (series) => countDrawing('sessions', series) }),
    events('live-event', settings.event),
    events('live-second-event', settings.secondEvent),
    livePanel({
      id: 'live-revenue',
      title: 'Purchase revenue',
      document: LiveRevenueDocument,
      variables: (length) => ({ length }),
      // `measure: REVENUE` always answers a PurchaseRevenueSeries; the interface's type allows quantities.
      draw: (series) => {
        if (series.__typename !== 'PurchaseRevenueSeries') throw new Error(`asked for revenue, got a ${series.__typename}`);
        return revenueDrawing(series);
      },
    }),
  ];
}

function kpi(id: string, title: string, which: Kpi): LivePanel {
  return livePanel({ id, title, document: LiveKpiDocument, variables: (length) => ({ kpi: which, length }), draw: (series) => countDrawing(title.toLowerCase(), series) });
}

function events(id: string, event: string): LivePanel {
  return livePanel({ id, title: `Event ${event}`, document: LiveEventsDocument, variables: (length) => ({ event, length }), draw: (series) => countDrawing(event, series) });
}

/**
 * Subscribes every live panel on `connection`, each drawing into its view. Each `subscribe` returns
 * its own stop, for a page that removes one panel; this page ends them all by disposing the connection.
 */
export function goLive(connection: LiveConnection, panels: readonly LivePanel[], views: ReadonlyMap<string, LiveView>, length: number): void {
  for (const each of panels) {
    const view = views.get(each.id);
    if (!view) throw new Error(`no view for live panel ${each.id}`);
    view.connecting();
    each.subscribe(connection, length, view);
  }
}

/** A live panel with its document's types checked and put away, so different documents share one list. */
export interface LivePanel {
  /** The section's id in the page (`#live-dau`, …). */
  readonly id: string;
  readonly title: string;
  /** Subscribes on `connection` for a window of `length` days, drawing into `view`; returns the stop. */
  subscribe(connection: LiveConnection, length: number, view: LiveView): () => void;
}

/** What every live document answers: its root field is aliased `live` (src/panels/*.graphql). */
interface LiveData<Series> {
  readonly live: { readonly series: Series | null; readonly status: LiveStatusBadgeFragment };
}

/** What a push draws, and the Braze calls its series was made of (for the header's count). */
type LiveDrawing = Drawing & { readonly brazeCalls: number };

/** One row of the table: a typed subscription, its variables for a range, and what to draw of its series. */
interface LivePanelDefinition<Series, Variables extends Record<string, unknown>> {
  readonly id: string;
  readonly title: string;
  readonly document: TypedDocumentNode<LiveData<Series>, Variables>;
  readonly variables: (length: number) => Variables;
  readonly draw: (series: Series) => LiveDrawing;
}

function livePanel<Series, Variables extends Record<string, unknown>>({ id, title, document, variables, draw }: LivePanelDefinition<Series, Variables>): LivePanel {
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

interface CountSeries {
  readonly brazeCalls: number;
  readonly fetchedAt: string;
  readonly points: readonly { readonly time: string; readonly value: number }[];
}

/** A count series (KPI, sessions, event) as one line; the note says its latest value. */
function countDrawing(label: string, series: CountSeries): LiveDrawing {
  return {
    brazeCalls: series.brazeCalls,
    note: `latest ${series.points.at(-1)?.value ?? '–'}, ${freshness(series.fetchedAt)}`,
    times: series.points.map((p) => p.time),
    lines: [{ label, values: series.points.map((p) => p.value) }],
  };
}

/** Revenue is an exact Decimal string: the note shows the total as sent, the chart plots numbers. */
function revenueDrawing(series: RevenuePanelFragment): LiveDrawing {
  return {
    brazeCalls: series.brazeCalls,
    note: `${series.total} in total, ${freshness(series.fetchedAt)}`,
    times: series.points.map((p) => p.time),
    lines: [{ label: 'revenue', values: series.points.map((p) => Number(p.value)) }],
  };
}
