// The soak's failing Braze: a raw handler for the fake Braze (testkit/fakeBraze.ts) that answers
// GET /events/data_series like Braze, except that a share of calls fail in the ways a real upstream
// does. Which calls fail is drawn from a seeded PRNG, so every run draws the same sequence of outcomes
// (which GraphQL request meets which outcome still depends on arrival order).
import type { ServerResponse } from 'node:http';
import { defaultSeries, type RawHandler } from './fakeBraze.js';
import { prng } from './prng.js';

/** What the fake does with one data_series call, and how often, per mille. */
export const SOAK_PLAN = {
  ok: 900,
  http503: 30, // 503 with a JSON body
  http500Html: 20, // 500 with an HTML error page, as a load balancer would send
  reset: 20, // socket destroyed before any byte of the answer
  resetMidBody: 25, // 200 with a content-length, part of the body, then the socket destroyed
  hang: 5, // never answers: only the gateway's own deadline ends it
} as const;

export type Outcome = keyof typeof SOAK_PLAN;
export type Plan = Readonly<Record<Outcome, number>>;
export const OUTCOMES = Object.keys(SOAK_PLAN) as readonly Outcome[];

/** The tallies, as the fake's GET /__calls serves them under `faults`. */
export interface FaultStats {
  /** Every data_series call handled. */
  readonly total: number;
  readonly byOutcome: Readonly<Record<Outcome, number>>;
  /** Calls with parameters Braze would refuse (answered 400): the gateway should never send one. */
  readonly rejected: number;
  /** Hung calls whose connection the gateway has not closed yet. */
  readonly hangsOpen: number;
  /** The plan, so a report can put expected shares beside the observed ones. */
  readonly plan: Plan;
}

export interface Faults {
  readonly handle: RawHandler;
  stats(): FaultStats;
  /** Destroys the hung calls' sockets, so a gateway shutting down is not kept waiting on them. */
  releaseHangs(): void;
}

const RATE_LIMIT_HEADERS = ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset'];
const HTML_500 =
  '<!DOCTYPE html><html><head><title>500 Internal Server Error</title></head><body><h1>Internal Server Error</h1></body></html>';

export function createFaults({ seed, plan = SOAK_PLAN }: { seed: number; plan?: Plan }): Faults {
  if (OUTCOMES.reduce((sum, outcome) => sum + plan[outcome], 0) !== 1000) throw new Error('a fault plan must add up to 1000');
  const random = prng(seed);
  const drawOutcome = (): Outcome => {
    let roll = random() * 1000;
    for (const outcome of OUTCOMES) {
      roll -= plan[outcome];
      if (roll < 0) return outcome;
    }
    return 'ok';
  };
  const byOutcome = Object.fromEntries(OUTCOMES.map((outcome) => [outcome, 0])) as Record<Outcome, number>;
  let total = 0;
  let rejected = 0;
  const hung = new Set<ServerResponse>();

  const handle: RawHandler = (request, response, call) => {
    if (request.method !== 'GET' || call.path !== '/events/data_series') {
      sendJson(response, 404, { message: 'Not Found' });
      return;
    }
    total++;
    if (!acceptedByBraze(call.query)) {
      rejected++;
      sendJson(response, 400, { message: 'Invalid parameters' });
      return;
    }
    // Drawn for every call, answered or not, so the sequence does not depend on who gave up.
    const outcome = drawOutcome();
    byOutcome[outcome]++;
    // The gateway may have given up on this call already (its own request was cancelled).
    if (response.destroyed) return;
    switch (outcome) {
      case 'ok':
        sendJson(response, 200, defaultSeries(call.query));
        return;
      case 'http503':
        sendJson(response, 503, { message: 'Service Unavailable' });
        return;
      case 'http500Html':
        // A load balancer's page, not Braze's answer: no rate-limit headers.
        for (const name of RATE_LIMIT_HEADERS) response.removeHeader(name);
        response.writeHead(500, { 'content-type': 'text/html; charset=utf-8', 'content-length': String(Buffer.byteLength(HTML_500)) });
        response.end(HTML_500);
        return;
      case 'reset':
        response.socket?.destroy();
        return;
      case 'resetMidBody': {
        const body = JSON.stringify(defaultSeries(call.query));
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) });
        // Destroy only once the partial chunk is handed to the kernel, so the gateway really sees
        // headers and a truncated body rather than a plain reset.
        response.write(body.slice(0, Math.floor(body.length / 2)), () => response.socket?.destroy());
        return;
      }
      case 'hang':
        // Kept so shutdown can release it, and so the stats show whether the gateway lets go of it.
        hung.add(response);
        response.once('close', () => hung.delete(response));
        return;
    }
  };

  return {
    handle,
    stats: () => ({ total, byOutcome: { ...byOutcome }, rejected, hangsOpen: hung.size, plan }),
    releaseHangs: () => {
      for (const response of hung) response.socket?.destroy();
    },
  };
}

/** Braze's own checks of the parameters: false where Braze would answer 400. */
function acceptedByBraze(query: Readonly<Record<string, string>>): boolean {
  const length = Number(query['length']);
  const unit = query['unit'] ?? 'day';
  if ((query['event'] ?? '') === '' || !Number.isInteger(length) || length < 1 || length > 100) return false;
  if ((unit !== 'day' && unit !== 'hour') || Number.isNaN(Date.parse(query['ending_at'] ?? ''))) return false;
  return query['app_id'] !== '' && query['segment_id'] !== '';
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
  response.end(text);
}
