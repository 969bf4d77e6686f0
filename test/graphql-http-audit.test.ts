import { readFileSync } from 'node:fs';
import { serverAudits, type AuditResult } from 'graphql-http';
import { describe, expect, it } from 'vitest';
import { startTestGateway, useGatewayWithFakeBraze, type TestGateway } from './helpers/gateway.js';

/**
 * The GraphQL-over-HTTP conformance audits of the `graphql-http` package (61 audits: 13 MUST, the
 * rest SHOULD or MAY), run against a listening live-mode gateway. The results are pinned here and
 * listed in docs/clients.md ("GraphQL over HTTP conformance"), which the last test reads, so a change in
 * either direction is noticed.
 */

const AUDITS = 61;
const MUSTS = 13;

/**
 * Not met by a client that sends neither a bearer credential nor the CSRF header (only possible with
 * AUTH_DISABLED): its GET requests are refused (403 CSRF_PREVENTED) by design.
 */
const NOT_MET_WITHOUT_CSRF_HEADER = [
  'MAY accept application/x-www-form-urlencoded formatted GET requests',
  'MAY allow URL-encoded JSON string {variables} parameter in GETs when accepting application/graphql-response+json',
  'MAY allow URL-encoded JSON string {variables} parameter in GETs when accepting application/json',
];

// Not reset between tests: the last test checks that no audit made an upstream call.
const { braze, gateway } = useGatewayWithFakeBraze({}, { resetCallsBeforeEach: false });

/** Runs every audit against `target` with its credential (none without auth), plus `extra` headers, on every request. */
async function audit(extra: Record<string, string>, target: TestGateway = gateway): Promise<AuditResult[]> {
  const fetchFn = (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const headers = new Headers(init.headers);
    for (const [name, value] of Object.entries({ ...target.authHeaders, ...extra })) headers.set(name, value);
    return fetch(input, { ...init, headers });
  };
  return Promise.all(serverAudits({ url: target.url.href, fetchFn }).map((a) => a.fn()));
}

const failing = (results: AuditResult[]) => results.filter((r) => r.status !== 'ok').map((r) => `${r.name}${'reason' in r ? ` (${r.reason})` : ''}`);

describe('GraphQL over HTTP (graphql-http serverAudits), with a valid credential', () => {
  it('with the CSRF header (a script client): every audit passes, all 13 MUSTs included', async () => {
    const results = await audit({ 'x-graphql-yoga-csrf': '1' });
    expect(results).toHaveLength(AUDITS);
    expect(results.filter((r) => r.name.startsWith('MUST') && r.status === 'ok')).toHaveLength(MUSTS);
    expect(failing(results)).toEqual([]);
  });

  it('with the bearer credential alone (as urql sends its GETs): every audit passes too', async () => {
    const results = await audit({});
    expect(results).toHaveLength(AUDITS);
    expect(failing(results)).toEqual([]);
  });

  it('with neither (AUTH_DISABLED): every MUST still passes; only the three GET MAYs fail, refused by CSRF prevention', async () => {
    const open = await startTestGateway(braze, { AUTH_DISABLED: 'true' });
    try {
      const results = await audit({}, open);
      expect(results.filter((r) => r.name.startsWith('MUST') && r.status === 'ok')).toHaveLength(MUSTS);
      expect(failing(results)).toEqual(NOT_MET_WITHOUT_CSRF_HEADER.map((name) => `${name} (Response status code is not 200)`));
    } finally {
      await open.close();
    }
  });

  it('made no upstream call (the audits ask for __typename and malformed requests only)', () => {
    expect(braze.calls).toHaveLength(0);
  });

  it('docs/clients.md says what is pinned here: the counts, and exactly the audits not met without the header', () => {
    const docs = readFileSync(new URL('../docs/clients.md', import.meta.url), 'utf8');
    const section = /^## GraphQL over HTTP conformance\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(docs)?.[1] ?? '';
    expect(section).toContain(`runs the ${AUDITS} audits`);
    expect(section).toContain(`all ${AUDITS} pass, the ${MUSTS} MUSTs included`);
    expect(section).toContain(`with the bearer credential alone`);
    expect(section).toContain(`all ${MUSTS} MUSTs still pass`);
    // The audits named in the section, each in italics on a line of its own.
    const named = [...section.matchAll(/^\s*- \*((?:MUST|SHOULD|MAY) [^*]+)\*$/gm)].map((match) => match[1]);
    expect(named).toEqual(NOT_MET_WITHOUT_CSRF_HEADER);
  });
});
