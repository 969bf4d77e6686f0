import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import { type TestGateway, useGatewayWithFakeBraze } from './helpers/gateway.js';

/**
 * MAX_REQUEST_BODY_BYTES for bodies without a Content-Length (chunked): counted as they arrive. Bodies
 * with one are covered in limits.test.ts.
 */
const LIMIT = 4096;

/** One POST with `Transfer-Encoding: chunked` (no Content-Length), sent in chunks of 1 KiB. */
function postChunked(gateway: TestGateway, body: string): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    // The gateway may answer 413 and close before the whole body is written: only an error before an answer counts.
    let answered = false;
    const request = httpRequest(
      gateway.url,
      // A connection of its own: a refused body's connection is closed by the gateway.
      { method: 'POST', agent: false, headers: { 'content-type': 'application/json', ...gateway.authHeaders } },
      (response) => {
        answered = true;
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, json: JSON.parse(text) as unknown }));
      },
    );
    request.on('error', (error) => (answered ? undefined : reject(error)));
    for (let at = 0; at < body.length; at += 1024) request.write(body.slice(at, at + 1024));
    request.end();
  });
}

describe('request bodies without a Content-Length', () => {
  const { braze, gateway } = useGatewayWithFakeBraze({ MAX_REQUEST_BODY_BYTES: String(LIMIT) });

  it('a chunked body over the limit is refused with 413 REQUEST_ENTITY_TOO_LARGE and no upstream call', async () => {
    const body = JSON.stringify({ query: '{ eventSeries(event: "e", length: 1) { total } }', variables: { padding: 'x'.repeat(3 * LIMIT) } });
    const { status, json } = await postChunked(gateway, body);
    expect(status).toBe(413);
    expect(json).toEqual({ errors: [{ message: 'Request body too large', extensions: { code: 'REQUEST_ENTITY_TOO_LARGE' } }] });
    expect(braze.calls).toHaveLength(0);
  });

  it('a chunked body under the limit is answered', async () => {
    const body = JSON.stringify({ query: '{ __typename }', variables: { padding: 'x'.repeat(LIMIT / 2) } });
    expect(await postChunked(gateway, body)).toEqual({ status: 200, json: { data: { __typename: 'Query' } } });
  });
});
