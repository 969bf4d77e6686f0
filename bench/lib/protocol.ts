// What bench/targets/target.ts (the child) and the load generators (bench/scenarios/run.ts, bench/scenarios/rss.ts) agree on.
// Constants, types and plain values: both sides import it, so it must stay free of side effects and heavy imports.

/** Every request to a gateway carries `authorization: Bearer <this>`; the gateways get AUTH_TOKENS=<this>. */
export const BENCH_TOKEN = 'bench-token-0123456789abcdef';

/** The Braze key every benchmarked gateway presents to the fake Braze (which takes any). */
export const BENCH_API_KEY = 'bench-key-0123456789abcdef0123456789';

/**
 * A gateway process (testkit's spawnServer) against the fake Braze at `braze`: live mode, BENCH_TOKEN,
 * a free loopback port, the cache on, GraphiQL off, and the log at info (spawnServer waits for its
 * "listening on" line).
 */
export function spawnedGatewayEnv(braze: URL): Record<string, string> {
  return {
    BRAZE_REST_ENDPOINT: braze.href,
    BRAZE_API_KEY: BENCH_API_KEY,
    AUTH_TOKENS: BENCH_TOKEN,
    PORT: '0',
    HOST: '127.0.0.1',
    CACHE_ENABLED: 'true',
    LOG_LEVEL: 'info',
    GRAPHIQL_ENABLED: 'false',
  };
}

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
