import { createGraphiQLFetcher, type Fetcher, type FetcherOpts, type FetcherParams } from '@graphiql/toolkit';
import { getOperationAST, type DocumentNode } from 'graphql';
import { createClient, type ExecutionResult } from 'graphql-sse';

/**
 * Queries and mutations over HTTP (GraphiQL's own fetcher, which also reads @defer/@stream answers sent
 * as multipart); subscriptions over GraphQL over SSE, the gateway's subscription transport. The headers
 * from GraphiQL's headers editor go with both.
 */
export function createGatewayFetcher(url: string): Fetcher {
  const http = createGraphiQLFetcher({ url });
  return (params: FetcherParams, options?: FetcherOpts) =>
    isSubscription(options?.documentAST, params.operationName) ? subscribe(url, params, options?.headers ?? {}) : http(params, options);
}

function isSubscription(document: DocumentNode | undefined, operationName: string | null | undefined): boolean {
  return document !== undefined && getOperationAST(document, operationName ?? undefined)?.operation === 'subscription';
}

async function* subscribe(url: string, params: FetcherParams, headers: Record<string, unknown>): AsyncGenerator<ExecutionResult> {
  const client = createClient({
    url,
    // One HTTP stream per subscription, ended when GraphiQL stops listening.
    singleConnection: false,
    headers: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, String(value)])),
    retryAttempts: 0,
  });
  try {
    yield* client.iterate({
      query: params.query,
      ...(params.operationName ? { operationName: params.operationName } : {}),
      ...(params.variables ? { variables: params.variables as Record<string, unknown> } : {}),
    });
  } finally {
    client.dispose();
  }
}
