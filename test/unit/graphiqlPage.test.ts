import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createGraphiQLSite, GRAPHIQL_CSP, renderGraphiQLPage } from '../../src/graphiqlSite/page.js';
import { graphiqlAssetPaths, readGraphiQLManifest } from '../../src/graphiqlSite/manifest.js';
import type { Logger } from '../../src/observability/logger.js';

function recordingLogger(): { logger: Logger; warnings: string[] } {
  const warnings: string[] = [];
  const ignore = () => undefined;
  return { warnings, logger: { debug: ignore, info: ignore, error: ignore, warn: (message) => warnings.push(String(message)) } };
}

const MANIFEST = { script: 'app-AbC_12-x.js', stylesheet: 'app-Zz9.css', files: ['app-AbC_12-x.js', 'app-Zz9.css', 'json.worker-q1.js'] };

function buildDir(manifest: unknown): URL {
  const dir = mkdtempSync(join(tmpdir(), 'graphiql-build-'));
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  return pathToFileURL(`${dir}/`);
}

describe('the GraphiQL page', () => {
  it('names the build’s script and styles, runs no inline script, and carries the options as JSON no </script> can break out of', () => {
    const html = renderGraphiQLPage(MANIFEST, { title: 'a <b> & "c"', defaultQuery: '# </script><script>alert(1)</script><!-- <token>\n{ a }' });
    expect(html).toContain('<title>a &lt;b&gt; &amp; &quot;c&quot;</title>');
    expect(html).toContain('<link rel="stylesheet" href="/graphiql/app-Zz9.css" />');
    expect(html).toContain('<script src="/graphiql/app-AbC_12-x.js"></script>');
    // Two script elements: the options (data) and the build's script (a file). No inline style or script.
    const outsideOptions = html.replace(/(id="graphiql-options">).*?(<\/script>)/s, '$1$2');
    expect(outsideOptions.match(/<script\b[^>]*>/g)).toEqual(['<script type="application/json" id="graphiql-options">', '<script src="/graphiql/app-AbC_12-x.js">']);
    expect(html).not.toContain('<style');
    expect(html).not.toContain('<!--');
    // A credential hint in the example query stays readable in the page source.
    expect(html).toContain('<token>');
    const json = /<script type="application\/json" id="graphiql-options">(.*?)<\/script>/s.exec(html)?.[1] ?? '';
    expect(JSON.parse(json)).toEqual({ title: 'a <b> & "c"', defaultQuery: '# </script><script>alert(1)</script><!-- <token>\n{ a }' });
    // Small: the point of serving the files apart.
    expect(Buffer.byteLength(html)).toBeLessThan(2048);
  });

  it('is rendered once, with a weak ETag of its content and a policy that allows only its own files', () => {
    const { logger, warnings } = recordingLogger();
    const site = createGraphiQLSite(logger, buildDir(MANIFEST));
    expect(site.pageHeaders()['etag']).toBeUndefined();
    const first = site.render({ title: 'T' });
    expect(site.render({ title: 'other' })).toBe(first);
    const headers = site.pageHeaders();
    expect(headers['etag']).toMatch(/^W\/"[\w-]{22}"$/);
    expect(headers).toMatchObject({ 'content-security-policy': GRAPHIQL_CSP, 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY', 'cache-control': 'no-cache' });
    expect(GRAPHIQL_CSP).toContain("script-src 'self';");
    expect(GRAPHIQL_CSP).toContain("frame-ancestors 'none'");
    expect(GRAPHIQL_CSP).not.toMatch(/script-src[^;]*unsafe|https?:|\*/);
    expect(warnings).toEqual([]);
  });

  it('without a build, serves yoga’s stock GraphiQL and says why once; only framing is refused there', async () => {
    const { logger, warnings } = recordingLogger();
    const site = createGraphiQLSite(logger, new URL('file:///nonexistent-graphiql-build/'));
    const first = await site.render({ title: 'T' });
    expect(site.render({ title: 'T' })).toBe(first);
    expect(first).toContain('YogaGraphiQL.renderYogaGraphiQL');
    expect(first).not.toContain('id="graphiql-options"');
    expect(warnings).toEqual(['GraphiQL without charts: its build is missing (run npm run build)']);
    expect(site.pageHeaders()['content-security-policy']).toBe("frame-ancestors 'none'");
  });
});

describe('the GraphiQL build’s manifest', () => {
  it('lists the paths served', () => {
    expect(graphiqlAssetPaths(readGraphiQLManifest(buildDir(MANIFEST)))).toEqual(['/graphiql/app-AbC_12-x.js', '/graphiql/app-Zz9.css', '/graphiql/json.worker-q1.js']);
    expect(graphiqlAssetPaths(undefined)).toEqual([]);
  });

  it.each([
    ['a path in a name', { ...MANIFEST, files: [...MANIFEST.files, '../../etc/passwd'] }],
    ['a name with a slash', { ...MANIFEST, files: [...MANIFEST.files, 'a/b.js'] }],
    ['a script not listed', { ...MANIFEST, script: 'other.js' }],
    ['no files', { ...MANIFEST, files: [] }],
    ['not an object', ['app.js']],
  ])('stops the start on %s', (_label, manifest) => {
    expect(() => readGraphiQLManifest(buildDir(manifest))).toThrow(/is not a GraphiQL build's manifest/);
  });
});
