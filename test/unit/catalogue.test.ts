import { describe, expect, it } from 'vitest';
import { BUCKET_TABLE, BUCKETS } from '../../src/endpoints/buckets.js';
import { ENDPOINTS } from '../../src/endpoints/index.js';
import { DEFAULT_UPSTREAM_POLICY, loadConfig } from '../../src/config/index.js';

describe('the catalogue', () => {
  it('every endpoint spends a bucket of the table, and every bucket is spent by one', () => {
    expect(ENDPOINTS.filter((endpoint) => !(BUCKETS as readonly string[]).includes(endpoint.bucket)).map((endpoint) => endpoint.name)).toEqual([]);
    expect(BUCKETS.filter((bucket) => !ENDPOINTS.some((endpoint) => endpoint.bucket === bucket))).toEqual([]);
  });

  it('names every endpoint once, and every path once', () => {
    expect(new Set(ENDPOINTS.map((endpoint) => endpoint.name)).size).toBe(ENDPOINTS.length);
    expect(new Set(ENDPOINTS.map((endpoint) => endpoint.path)).size).toBe(ENDPOINTS.length);
  });

  it('each bucket row is a reserve the configuration reads: its variable sets it', () => {
    expect(Object.keys(DEFAULT_UPSTREAM_POLICY.reserves).sort()).toEqual([...BUCKETS].sort());
    for (const { name, reserve } of BUCKET_TABLE) {
      expect(DEFAULT_UPSTREAM_POLICY.reserves[name]).toBe(reserve.default);
      const set = loadConfig({ [reserve.variable]: '7' }, { descriptorLimit: undefined });
      expect(set.upstream.reserves[name]).toBe(7);
    }
  });
});

/**
 * Where Braze's page names another permission than the path's segments joined by dots: its cursor-paged
 * collections read with `.get` (braze-inc/braze-docs, newest pages: `_docs/_api/endpoints/export/`
 * `custom_events/get_custom_events_data.md` at 7d3d9477, `custom_attributes/get_custom_attributes.md` at
 * 56eba09a). Every page of the endpoints described so far follows the rule (checked against each page's
 * "Prerequisites" and the permission table of `_docs/_api/basics.md` at 46939b97).
 */
const DOCUMENTED_DEPARTURES: Readonly<Record<string, string>> = {
  '/events': 'events.get',
  '/custom_attributes': 'custom_attributes.get',
};

describe("each endpoint's key permission", () => {
  it("is the one Braze's page names for its path (its segments joined by dots, but where Braze departs), one per endpoint", () => {
    for (const endpoint of ENDPOINTS) {
      expect(endpoint.permission, endpoint.name).toBe(DOCUMENTED_DEPARTURES[endpoint.path] ?? endpoint.path.slice(1).replaceAll('/', '.'));
    }
    expect(new Set(ENDPOINTS.map((endpoint) => endpoint.permission)).size).toBe(ENDPOINTS.length);
  });
});
