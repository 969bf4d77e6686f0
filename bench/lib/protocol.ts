// What bench/targets/target.ts (the child) and the load generators (bench/scenarios/run.ts, bench/scenarios/rss.ts) agree on.
// Constants and types only: both sides import it, so it must stay free of side effects and heavy imports.

/** Every request to a gateway carries `authorization: Bearer <this>`; the gateways get AUTH_TOKENS=<this>. */
export const BENCH_TOKEN = 'bench-token-0123456789abcdef';

/** The line bench/targets/target.ts prints once everything listens (all on 127.0.0.1). */
export interface TargetInfo {
  /**
   * Origin of the fake Braze (testkit/fakeBraze.ts), e.g. http://127.0.0.1:40001: GET /events/data_series,
   * and GET /__calls ({"calls": n}, every call it received).
   */
  readonly upstream: string;
  /** GraphQL endpoint of the gateway with CACHE_ENABLED=false (BENCH_TARGET=all only). */
  readonly gatewayNoCache?: string;
  /** GraphQL endpoint of the gateway with CACHE_ENABLED=true. */
  readonly gatewayCache: string;
  /** GraphQL endpoint of the peer: Apollo Server 5 + RESTDataSource over the same upstream (bench/targets/peers/apolloRest.ts; BENCH_TARGET=all only). */
  readonly apollo?: string;
  /** With BENCH_OTLP_SINK=1: the collector the gateways trace to; GET answers {"exports": n, "bytes": b}. */
  readonly otlpSink?: string;
  readonly pid: number;
}

/** The line bench/targets/ceilingTarget.ts prints: a bare graphql-yoga answering `{ __typename }`, in its own process. */
export interface CeilingInfo {
  /** Its GraphQL endpoint. */
  readonly ceiling: string;
  readonly pid: number;
}
