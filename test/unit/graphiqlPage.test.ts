import { describe, expect, it } from 'vitest';
import { graphiqlRenderer, renderGraphiQLPage } from '../../src/yoga/graphiqlPage.js';
import type { Logger } from '../../src/observability/logger.js';

function recordingLogger(): { logger: Logger; warnings: string[] } {
  const warnings: string[] = [];
  const ignore = () => undefined;
  return { warnings, logger: { debug: ignore, info: ignore, error: ignore, warn: (message) => warnings.push(String(message)) } };
}

describe('the GraphiQL page', () => {
  it('inlines the built script and styles, and carries the options as JSON no </script> can break out of', () => {
    const html = renderGraphiQLPage(
      { js: 'window.x = "$& $1";', css: 'body{color:red}' },
      { title: 'a <b> & "c"', defaultQuery: '# </script><script>alert(1)</script><!-- <token>\n{ a }' },
    );
    expect(html).toContain('<title>a &lt;b&gt; &amp; &quot;c&quot;</title>');
    expect(html).toContain('<style>body{color:red}</style>');
    // Inserted as it is: `$&` is not a replacement pattern here.
    expect(html).toContain('<script>window.x = "$& $1";</script>');
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    expect(html).not.toContain('<!--');
    // A credential hint in the example query stays readable in the page source.
    expect(html).toContain('<token>');
    const json = /<script type="application\/json" id="graphiql-options">(.*?)<\/script>/s.exec(html)?.[1] ?? '';
    expect(JSON.parse(json)).toEqual({ title: 'a <b> & "c"', defaultQuery: '# </script><script>alert(1)</script><!-- <token>\n{ a }' });
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);
  });

  it('without a build, serves yoga’s stock GraphiQL and says why once', () => {
    const { logger, warnings } = recordingLogger();
    const render = graphiqlRenderer(logger, new URL('file:///nonexistent-graphiql-build/'));
    const first = render({ title: 'T' });
    render({ title: 'T' });
    expect(first).toContain('YogaGraphiQL.renderYogaGraphiQL');
    expect(first).not.toContain('id="graphiql-options"');
    expect(warnings).toEqual(['GraphiQL without charts: its build is missing (run npm run build)']);
  });
});
