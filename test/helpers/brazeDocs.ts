import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CannedAnswer, FakeBraze, RecordedCall, Responder } from '../../testkit/fakeBraze.js';

/**
 * Braze's own documented example answers (test/fixtures/braze-docs/), one file per example:
 * `<descriptor name>.<variant>.json` =
 *
 *   { "source": { "repo": "braze-inc/braze-docs", "path": "<page path>", "commit": "<40-hex commit read>",
 *                 "section": "<heading of the example>", "placeholders": "<what was replaced, in words>" },
 *     "request": { "path": "/…", "query": { … } },
 *     "response": <the body, verbatim except placeholders> }
 *
 * `request` is the call the gateway makes for the example (what the fake expects, exactly); `response`
 * is what the fake answers it. A later change of a page is then a one-file diff. Any test may load the
 * corpus (or one example) and serve an example through the fake Braze with the helpers below.
 */

export const BRAZE_DOCS_DIR = fileURLToPath(new URL('../fixtures/braze-docs/', import.meta.url));

export interface BrazeDocsSource {
  readonly repo: string;
  readonly path: string;
  readonly commit: string;
  readonly section: string;
  readonly placeholders: string;
}

export interface BrazeDocsExample {
  /** The file's name less `.json`: `<descriptor>.<variant>`. */
  readonly name: string;
  /** The endpoint descriptor's `name` (src/endpoints/), e.g. `campaignSeries`. */
  readonly descriptor: string;
  readonly variant: string;
  readonly source: BrazeDocsSource;
  readonly request: { readonly path: string; readonly query: Readonly<Record<string, string>> };
  readonly response: unknown;
}

const FILE_NAME = /^([a-zA-Z][a-zA-Z0-9]*)\.([a-z0-9][a-z0-9-]*)\.json$/;

/** Every example of the corpus, by file name; a file that does not follow the format throws, naming the file. */
export function loadBrazeDocsExamples(dir: string = BRAZE_DOCS_DIR): BrazeDocsExample[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => readExample(dir, file));
}

/** One example by name (`campaignSeries.multivariate`). */
export function brazeDocsExample(name: string, dir: string = BRAZE_DOCS_DIR): BrazeDocsExample {
  return readExample(dir, `${name}.json`);
}

function readExample(dir: string, file: string): BrazeDocsExample {
  const match = FILE_NAME.exec(file);
  if (!match) throw new Error(`${file}: not named <descriptor>.<variant>.json`);
  const parsed = JSON.parse(readFileSync(`${dir}/${file}`, 'utf8')) as unknown;
  const fail = (problem: string): never => {
    throw new Error(`${file}: ${problem}`);
  };
  if (!isRecord(parsed)) return fail('not a JSON object');
  const extra = Object.keys(parsed).filter((key) => !['source', 'request', 'response'].includes(key));
  if (extra.length > 0) fail(`unknown keys ${extra.join(', ')}`);
  const { source, request, response } = parsed;
  if (!isRecord(source)) return fail('source is not an object');
  for (const key of ['repo', 'path', 'commit', 'section', 'placeholders']) if (typeof source[key] !== 'string' || source[key] === '') fail(`source.${key} is not a non-empty string`);
  if (!/^[0-9a-f]{40}$/.test(source['commit'] as string)) fail('source.commit is not a 40-hex commit');
  if (!isRecord(request) || typeof request['path'] !== 'string' || !request['path'].startsWith('/')) return fail('request.path is not a path');
  const query = request['query'];
  if (!isRecord(query) || !Object.values(query).every((value) => typeof value === 'string')) return fail('request.query is not an object of strings');
  if (response === undefined) fail('no response');
  return {
    name: file.slice(0, -'.json'.length),
    descriptor: match[1]!,
    variant: match[2]!,
    source: source as unknown as BrazeDocsSource,
    request: { path: request['path'], query: query as Record<string, string> },
    response,
  };
}

/** Whether `call` is exactly the example's request: its path, and its query parameters, no more, no fewer. */
export function isExampleRequest(example: BrazeDocsExample, call: Pick<RecordedCall, 'path' | 'query'>): boolean {
  if (call.path !== example.request.path) return false;
  const sent = Object.entries(call.query).sort();
  const expected = Object.entries(example.request.query).sort();
  return JSON.stringify(sent) === JSON.stringify(expected);
}

/**
 * Makes `braze` answer the example's body (200) to exactly its request. Any other call gets
 * `otherwise`'s answer, or a 404 saying it is not the documented request (so a field asking something
 * else fails, and the recorded calls show what was asked).
 */
export function serveBrazeDocsExample(braze: FakeBraze, example: BrazeDocsExample, otherwise?: Responder): void {
  braze.respond((call): CannedAnswer | Promise<CannedAnswer> => {
    if (isExampleRequest(example, call)) return { status: 200, body: example.response };
    return otherwise ? otherwise(call) : { status: 404, body: { message: `not the request of ${example.name}` } };
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
