import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/index.js';

const NO_LIMIT = { descriptorLimit: undefined };

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env, NO_LIMIT);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('GraphQL over WebSocket configuration', () => {
  it('reads the socket caps and timings; unset, sockets fit a quarter of the client connections', () => {
    expect(
      loadConfig({ WS_MAX_CONNECTIONS: '40', WS_MAX_OPERATIONS_PER_CONNECTION: '7', WS_CONNECTION_INIT_TIMEOUT_MS: '500', WS_KEEPALIVE_MS: '2000' }, NO_LIMIT).live,
    ).toMatchObject({ wsMaxConnections: 40, wsMaxOperationsPerConnection: 7, wsConnectionInitTimeoutMs: 500, wsKeepAliveMs: 2_000 });
    expect(loadConfig({ SERVER_MAX_CONNECTIONS: '100' }, NO_LIMIT).live.wsMaxConnections).toBe(25);
    expect(loadConfig({ WS_MAX_CONNECTIONS: '0' }, NO_LIMIT).live.wsMaxConnections).toBe(0);
  });

  it('refuses what cannot be meant, naming the bound', () => {
    expect(problemsOf({ SERVER_MAX_CONNECTIONS: '100', WS_MAX_CONNECTIONS: '100' })).toEqual([
      'WS_MAX_CONNECTIONS=100 must be below SERVER_MAX_CONNECTIONS (100): each WebSocket holds a connection, and the rest must stay free for queries and /health',
    ]);
    expect(problemsOf({ SERVER_MAX_CONNECTIONS: '100', LIVE_MAX_SSE_STREAMS: '60', WS_MAX_CONNECTIONS: '40' })).toEqual([
      'LIVE_MAX_SSE_STREAMS (60) and WS_MAX_CONNECTIONS (40) together must be below SERVER_MAX_CONNECTIONS (100): the rest must stay free for queries and /health',
    ]);
    expect(problemsOf({ WS_MAX_OPERATIONS_PER_CONNECTION: '0' })).toEqual(['WS_MAX_OPERATIONS_PER_CONNECTION must be a whole number from 1 to 100000 (got "0")']);
    expect(problemsOf({ WS_CONNECTION_INIT_TIMEOUT_MS: '3s' })).toEqual(['WS_CONNECTION_INIT_TIMEOUT_MS must be a whole number from 100 to 60000 (got "3s")']);
    expect(problemsOf({ WS_KEEPALIVE_MS: '-1' })).toEqual(['WS_KEEPALIVE_MS must be a whole number from 100 to 600000 (got "-1")']);
  });
});
