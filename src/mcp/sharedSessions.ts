import type { SharedStoreStatus } from '../redis/health.js';

/** An MCP session as every replica sees it. */
export interface SharedSession {
  /** Who opened it (callerKey): only the same caller may use it. */
  readonly caller: string;
  /** Braze calls it has spent, all replicas together. */
  readonly spent: number;
}

/**
 * Where MCP sessions are kept so that any replica can answer any session's request (Redis: a balancer
 * needs no stickiness). Every method answers `undefined` when the store could not be asked or answered
 * nonsense: the endpoint then goes on with what this replica knows (docs/mcp.md, Replicas).
 */
export interface SharedSessions {
  /**
   * Records a new session of `caller`, counted against `limitKey`'s sessions: `full` when
   * MCP_MAX_SESSIONS are open across replicas, `caller-full` when MCP_MAX_SESSIONS_PER_CALLER of its are.
   */
  open(id: string, caller: string, limitKey: string): Promise<'opened' | 'full' | 'caller-full' | undefined>;
  /** The session, its idle time started again (in `limitKey`'s count too, when it counts there); null when there is none (ended, expired, never was). */
  use(id: string, limitKey: string): Promise<SharedSession | null | undefined>;
  /** What the session has spent. */
  spent(id: string): Promise<number | undefined>;
  /** Adds `calls` to what the session has spent; the total after (undefined too when the session is gone). */
  add(id: string, calls: number): Promise<number | undefined>;
  /** Ends the session for every replica. */
  close(id: string, limitKey: string): Promise<void>;
  /** For `/health`. */
  status(): SharedStoreStatus;
  disconnect(): Promise<void>;
}
