import { describe, expect, it } from 'vitest';
import { RedisProtocolError, RedisWrongReplyError } from '../../src/redis/connection.js';
import { classifyRedisError, RedisHealth } from '../../src/redis/health.js';
import { createLogger } from '../../src/observability/logger.js';

function health(): { health: RedisHealth; lines: string[]; at: (ms: number) => void } {
  const lines: string[] = [];
  let now = 1_000_000;
  const made = new RedisHealth({ part: 'redis cache', fallback: 'serving from Braze meanwhile', logger: createLogger({ level: 'info', write: (line) => lines.push(line) }), now: () => now });
  return { health: made, lines, at: (ms) => void (now = 1_000_000 + ms) };
}

describe('RedisHealth: one outage, one line, however it flaps', () => {
  it('a Redis failing every other command stays in one outage: one warning, Redis left alone for a second after each failure', () => {
    const { health: h, lines, at } = health();
    expect(h.status()).toEqual({ usable: true });
    h.failed(new RedisWrongReplyError('GET answered a number'));
    expect(h.usable()).toBe(false);
    at(999);
    expect(h.usable()).toBe(false);
    for (let second = 1; second <= 30; second++) {
      at(second * 1_000);
      expect(h.usable()).toBe(true);
      // +OK to everything: SET answers well, GET does not.
      h.succeeded();
      h.failed(new RedisWrongReplyError('GET answered a string'));
    }
    expect(h.status()).toMatchObject({ usable: false, problem: 'wrong reply', since: new Date(1_000_000).toISOString() });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('redis cache unusable (wrong reply); serving from Braze meanwhile');
  });

  it('ends at a good reply two seconds after the last failure, said once', () => {
    const { health: h, lines, at } = health();
    h.failed(new Error('Command timed out'));
    at(1_500);
    h.succeeded();
    expect(h.status().usable).toBe(false);
    at(2_000);
    h.succeeded();
    expect(h.status()).toEqual({ usable: true });
    expect(lines.map((line) => JSON.parse(line).msg)).toEqual(['redis cache unusable (timeout); serving from Braze meanwhile', 'redis cache usable again']);
  });

  it('counts refused values and logs them at most every 10 s', () => {
    const { health: h, lines, at } = health();
    for (let i = 0; i < 5; i++) h.rejected('written for another key');
    at(10_000);
    h.rejected('written for another key');
    expect(h.status()).toEqual({ usable: true, rejectedValues: 6 });
    expect(lines).toHaveLength(2);
  });

  it('names each problem in stable words, never with the error text', () => {
    const named = (name: string, message: string): Error => Object.assign(new Error(message), { name });
    expect(classifyRedisError(new RedisWrongReplyError('x'))).toBe('wrong reply');
    expect(classifyRedisError(new RedisProtocolError('x'))).toBe('unreadable reply');
    expect(classifyRedisError(named('ReplyError', 'ERR hostile'))).toBe('error reply');
    expect(classifyRedisError(named('ParserError', 'Protocol error, got "\\u0000" as reply type byte'))).toBe('unreadable reply');
    expect(classifyRedisError(new Error('Command timed out'))).toBe('timeout');
    expect(classifyRedisError(new Error('Command queue state error. If you can reproduce this, please report it. Last reply: x'))).toBe('wrong reply');
    expect(classifyRedisError(new Error('connect ECONNREFUSED 127.0.0.1:6379'))).toBe('unreachable');
  });
});
