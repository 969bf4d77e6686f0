import { promisify } from 'node:util';
import { brotliCompress, brotliCompressSync, constants, gzip, gzipSync } from 'node:zlib';
import type { Plugin } from 'graphql-yoga';
import { chooseEncoding, varyOnAcceptEncoding, type ContentCoding } from '../server/acceptEncoding.js';

export interface CompressionOptions {
  /** Answers of fewer bytes go as they are: below it, compressing costs more CPU than the bytes it saves are worth. */
  readonly minBytes?: number;
}

/**
 * The default threshold: 1 KiB. Below it a JSON answer saves at most a few hundred bytes, less than one
 * TCP segment, for the same fixed cost per call (bench/scenarios/compression.ts measures that cost).
 */
export const COMPRESSION_MIN_BYTES = 1024;

/** Whole answers worth compressing; never `text/event-stream` or `multipart/mixed`, which stream. */
const COMPRESSIBLE = /^(?:application\/(?:json|graphql-response\+json)|text\/(?:html|plain|css|javascript))\s*(?:;|$)/i;

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/**
 * Answers up to this size are compressed on the event loop: about 30 µs for 1.6 KB and 85 µs for 17 KB
 * of JSON, where handing them to libuv's threads costs some 100 µs more of CPU per answer in dispatch
 * (measured on the 2-core bench machine: bench/scenarios/wire.ts, docs/benchmarks.md). Larger ones go to
 * the threads, so that one big answer does not hold up every other request for milliseconds.
 */
export const COMPRESS_ON_LOOP_MAX_BYTES = 64 * 1024;

/**
 * Dynamic settings: brotli at quality 4 (a 2^18-byte window, as big as any answer compressed on the loop)
 * and gzip at level 6 compress JSON nearly as well as their maximums at a fraction of the CPU (static
 * files are compressed at the maximum once, by the build).
 */
function brotliOptions(body: Uint8Array) {
  return { params: { [constants.BROTLI_PARAM_QUALITY]: 4, [constants.BROTLI_PARAM_LGWIN]: 18, [constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength } };
}

function compress(coding: ContentCoding, body: Uint8Array): Buffer | Promise<Buffer> {
  if (body.byteLength <= COMPRESS_ON_LOOP_MAX_BYTES) return coding === 'br' ? brotliCompressSync(body, brotliOptions(body)) : gzipSync(body, { level: 6 });
  return coding === 'br' ? brotli(body, brotliOptions(body)) : gzipAsync(body, { level: 6 });
}

/**
 * Compresses whole answers (JSON, the GraphiQL page, /metrics) of at least `minBytes` in the coding the
 * client prefers by Accept-Encoding's weights (brotli, else gzip), with Node's zlib, and
 * says `Vary: Accept-Encoding` on every answer of that size, compressed or not, so a shared cache keeps the
 * codings apart. A smaller answer is the same for every client, so it carries no such Vary. It leaves alone: HEAD (no body), 1xx/204/304, an answer already encoded (GraphiQL's
 * files, compressed by the build), one marked `Cache-Control: no-transform`, and streams (SSE,
 * `multipart/mixed`), whose events must reach the client as they happen. Last of the plugins, so every
 * other header is set when it runs. whatwg-node's useContentEncoding is not used: it ignores q-values
 * (`gzip;q=0` is not gzip to it, `br;q=0` not a refusal), has no threshold nor Vary, compresses streams
 * and also inflates request bodies, past MAX_REQUEST_BODY_BYTES' count.
 */
export function useCompression({ minBytes = COMPRESSION_MIN_BYTES }: CompressionOptions = {}): Plugin {
  return {
    // Not async: most answers are left alone, and a promise per response would cost every one of them.
    onResponse({ request, response, setResponse, fetchAPI }) {
      if (request.method === 'HEAD' || response.body === null || response.status < 200 || response.status === 204 || response.status === 304) return;
      if (response.headers.has('content-encoding') || !COMPRESSIBLE.test(response.headers.get('content-type') ?? '')) return;
      if (/(?:^|,)\s*no-transform\s*(?:,|$)/i.test(response.headers.get('cache-control') ?? '')) return;
      const length = Number(response.headers.get('content-length') ?? Number.NaN);
      if (length < minBytes) return;
      const vary = varyOnAcceptEncoding(response.headers.get('vary'));
      const coding = chooseEncoding(request.headers.get('accept-encoding'), ['br', 'gzip']);
      if (coding === undefined) {
        // Another client would have had it compressed: a shared cache must key it by Accept-Encoding too.
        if (length >= minBytes) response.headers.set('vary', vary);
        return;
      }
      return (async () => {
        const body = new Uint8Array(await response.arrayBuffer());
        if (body.byteLength < minBytes) {
          setResponse(new fetchAPI.Response(body, { status: response.status, statusText: response.statusText, headers: response.headers }));
          return;
        }
        const headers = new fetchAPI.Headers(response.headers);
        headers.set('vary', vary);
        const compressed = await compress(coding, body);
        headers.set('content-encoding', coding);
        headers.set('content-length', String(compressed.byteLength));
        // zlib's Buffer is over a plain ArrayBuffer; the DOM types want it said to accept it as a body.
        setResponse(new fetchAPI.Response(new Uint8Array(compressed.buffer as ArrayBuffer, compressed.byteOffset, compressed.byteLength), { status: response.status, statusText: response.statusText, headers }));
      })();
    },
  };
}
