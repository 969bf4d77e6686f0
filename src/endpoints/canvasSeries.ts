import { simulateCanvasSeries, simulateCanvasSummary } from './simulated/canvases.js';
import type { Endpoint } from '../data/endpoint.js';
import {
  canvasSeriesCoalescing,
  canvasStatsKey,
  canvasStatsSearchParams,
  canvasStatsTtlMs,
  canvasSummaryCoalescing,
  parseCanvasSeries,
  parseCanvasSummary,
  type CanvasStats,
  type CanvasStatsCall,
  type CanvasStatsPoint,
} from './answers/canvasStats.js';

/** GET /canvas/data_series: a Canvas's stats per day, with the variant and step breakdowns asked for. */
export const canvasSeriesEndpoint: Endpoint<CanvasStatsCall, readonly CanvasStatsPoint[]> = {
  name: 'canvasSeries',
  path: '/canvas/data_series',
  permission: 'canvas.data_series',
  bucket: 'export',
  key: canvasStatsKey,
  searchParams: canvasStatsSearchParams,
  parse: parseCanvasSeries,
  ttlMs: canvasStatsTtlMs,
  coalescing: canvasSeriesCoalescing,
  simulate: simulateCanvasSeries,
};

/** GET /canvas/data_summary: a Canvas's stats rolled up over the window, with the breakdowns asked for. */
export const canvasSummaryEndpoint: Endpoint<CanvasStatsCall, CanvasStats> = {
  name: 'canvasSummary',
  path: '/canvas/data_summary',
  permission: 'canvas.data_summary',
  bucket: 'export',
  key: canvasStatsKey,
  searchParams: canvasStatsSearchParams,
  parse: parseCanvasSummary,
  ttlMs: canvasStatsTtlMs,
  coalescing: canvasSummaryCoalescing,
  simulate: simulateCanvasSummary,
};
