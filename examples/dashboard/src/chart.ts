import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** One line: its label and a value per x (null where the line has no point). */
export interface Line {
  readonly label: string;
  readonly values: readonly (number | null)[];
}

const COLOURS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2'];

/** A small chart (a live panel's) is lower and has no legend: its panel's title names its one line. */
export interface ChartSize {
  readonly height: number;
  readonly legend: boolean;
}

const FULL: ChartSize = { height: 200, legend: true };

/**
 * Draws lines over time (ISO instants) in `host`, replacing what was there. After each draw, uPlot's own
 * data (seconds on x, then one array per line) is written to `host.dataset.drawn` with the labels, so a
 * test can read back what was drawn rather than what was meant to be.
 */
export function drawChart(host: HTMLElement, times: readonly string[], lines: readonly Line[], size: ChartSize = FULL): uPlot {
  host.replaceChildren();
  const xs = times.map((time) => Date.parse(time) / 1000);
  const data: uPlot.AlignedData = [xs, ...lines.map((line) => [...line.values])];
  const options: uPlot.Options = {
    width: Math.max(200, host.clientWidth || 480),
    height: size.height,
    legend: { show: size.legend },
    series: [{}, ...lines.map((line, index) => ({ label: line.label, stroke: COLOURS[index % COLOURS.length] ?? '#000', width: 2 }))],
    axes: [{}, { size: 70 }],
    hooks: {
      draw: [
        (plot) => {
          host.dataset['drawn'] = JSON.stringify({ labels: plot.series.slice(1).map((series) => series.label), data: plot.data });
        },
      ],
    },
  };
  return new uPlot(options, data, host);
}
