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

describe("each endpoint's key permission", () => {
  it('is the one Braze names for its path (segments joined by dots; a one-segment path, `/events`, is `events.get`), one per endpoint', () => {
    for (const endpoint of ENDPOINTS) {
      const segments = endpoint.path.slice(1).split('/');
      expect(endpoint.permission, endpoint.name).toBe(segments.length === 1 ? `${segments[0]}.get` : segments.join('.'));
    }
    expect(new Set(ENDPOINTS.map((endpoint) => endpoint.permission)).size).toBe(ENDPOINTS.length);
  });
});
