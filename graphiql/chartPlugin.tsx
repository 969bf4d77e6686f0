import { useGraphiQL, type GraphiQLPlugin } from '@graphiql/react';
import { useEffect, useMemo, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { seriesOf, summarize, type SeriesChart } from './series.js';

/**
 * "Chart" in GraphiQL's sidebar: draws every series of the result shown in the response pane (see
 * series.ts for what counts as one), time on x, one line per series. The result is read from the
 * response editor, so it is always the one on screen: the last run, in the current tab.
 */

const HEIGHT = 360;
/** Distinct, readable on GraphiQL's light and dark themes. */
const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];

/** The response pane's text, kept current as runs replace it. */
function useResponseText(): string {
  const editor = useGraphiQL((state) => state.responseEditor);
  const [text, setText] = useState(() => editor?.getValue() ?? '');
  useEffect(() => {
    if (!editor) return undefined;
    setText(editor.getValue());
    const subscription = editor.onDidChangeModelContent(() => setText(editor.getValue()));
    return () => subscription.dispose();
  }, [editor]);
  return text;
}

/** The result as JSON, or undefined while there is none or it is not JSON (an error text, a stream in progress). */
function parseResult(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function ChartContent() {
  const text = useResponseText();
  const chart = useMemo(() => seriesOf(parseResult(text)), [text]);
  return (
    <div className="gateway-chart">
      <div className="graphiql-doc-explorer-title">Chart</div>
      {chart.lines.length === 0 ? (
        <p className="gateway-chart-empty" data-series="[]">
          No series in the result. Run a query that selects points with a <code>time</code> or <code>date</code> and a number
          (<code>count</code>, <code>value</code>, …).
        </p>
      ) : (
        <Plot chart={chart} />
      )}
    </div>
  );
}

function Plot({ chart }: { chart: SeriesChart }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = host.current;
    if (!element) return undefined;
    const options: uPlot.Options = {
      width: Math.max(element.clientWidth, 300),
      height: HEIGHT,
      scales: { x: { time: true } },
      series: [
        {},
        ...chart.lines.map((line, index) => ({
          label: line.name,
          stroke: PALETTE[index % PALETTE.length] ?? '#000',
          width: 2,
          spanGaps: true,
          points: { show: true, size: 5 },
        })),
      ],
      axes: [{}, { size: 60 }],
      legend: { live: true },
    };
    const data = [chart.times.slice(), ...chart.lines.map((line) => line.values.slice())] as uPlot.AlignedData;
    const plot = new uPlot(options, data, element);
    // What the library holds, read back from it, so that a test (or a person) can check what is drawn.
    const names = plot.series.slice(1).map((series) => String(series.label ?? ''));
    element.dataset['series'] = JSON.stringify(summarize(names, plot.data.slice(1).map((column) => Array.from(column))));
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(element.clientWidth, 300), height: HEIGHT }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
      delete element.dataset['series'];
    };
  }, [chart]);
  return <div className="gateway-chart-plot" ref={host} />;
}

function ChartIcon() {
  return (
    <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.5" aria-hidden="true">
      <path d="M3 3v18h18" />
      <path d="M6 15l4-5 4 3 5-7" />
    </svg>
  );
}

export const chartPlugin: GraphiQLPlugin = { title: 'Chart', icon: ChartIcon, content: ChartContent };
