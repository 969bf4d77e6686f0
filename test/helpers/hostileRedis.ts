import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * How the hostile Redis answers every command that is not part of a client's handshake:
 * - `ok`: `+OK`; `one`: `:1`; `error`: `-ERR …`; `garbage`: bytes that are not RESP; `blackHole`: nothing.
 * - With a real Redis behind it (`upstream`): `pass` forwards everything untouched; `slow` delays each
 *   answer by `delayMs`; `closeMidReply` sends half of an answer and closes the connection;
 *   `otherKey` answers a GET with the value of another key (the last one SET through it);
 *   `unsolicited` forwards everything and pushes pub/sub messages nobody asked for: one before each
 *   answer on an ordinary connection; on a subscriber, `notice(channel)` on every channel it
 *   subscribes to, then an empty push.
 */
export type HostileMode = 'ok' | 'one' | 'error' | 'garbage' | 'blackHole' | 'pass' | 'slow' | 'closeMidReply' | 'otherKey' | 'unsolicited';

/** The modes that forward to a real Redis (the others answer alone). */
const PROXY_MODES: ReadonlySet<HostileMode> = new Set(['pass', 'slow', 'closeMidReply', 'otherKey', 'unsolicited']);

/**
 * What a client sends while connecting (ioredis: CLIENT SETINFO, SELECT, INFO as its ready check;
 * others: HELLO, AUTH). Answered as a real Redis would, so the client reaches `ready` and meets the
 * nonsense only in the commands that follow.
 */
const HANDSHAKE = new Set(['HELLO', 'INFO', 'CLIENT', 'SELECT', 'AUTH']);

export interface HostileRedisOptions {
  readonly mode: HostileMode;
  /** A real Redis (`redis://host:port`) for the modes that forward. */
  readonly upstream?: string;
  /** `slow`: how long each answer is held. Default 1,000 ms. */
  readonly delayMs?: number;
  /** `unsolicited`: the message pushed on a channel a client subscribed to. Default: a JSON object nobody wrote. */
  readonly notice?: (channel: string) => string;
  /** Answer the handshake too with the mode's nonsense (or silence): a client then never gets ready. Default false. */
  readonly hostileHandshake?: boolean;
}

export interface HostileRedis {
  readonly url: string;
  /** Connections accepted so far. */
  readonly connections: () => number;
  /** Commands received so far (handshakes included), by upper-case name. */
  readonly commands: () => Readonly<Record<string, number>>;
  /** Changes the mode for commands from now on (connections stay open). */
  setMode(mode: HostileMode): void;
  close(): Promise<void>;
}

const CRLF = '\r\n';
const bulk = (text: string): string => `$${Buffer.byteLength(text)}${CRLF}${text}${CRLF}`;
const array = (items: readonly string[]): string => `*${items.length}${CRLF}${items.join('')}`;

/** What a real Redis 7 answers to the handshake commands. */
function handshakeReply(name: string): string {
  switch (name) {
    case 'INFO':
      return bulk(['# Server', 'redis_version:7.2.4', 'redis_mode:standalone', '', '# Persistence', 'loading:0', ''].join(CRLF));
    case 'HELLO':
      return array([bulk('server'), bulk('redis'), bulk('version'), bulk('7.2.4'), bulk('proto'), ':2\r\n', bulk('id'), ':7\r\n', bulk('mode'), bulk('standalone'), bulk('role'), bulk('master'), bulk('modules'), '*0\r\n']);
    case 'AUTH':
      return '-ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?\r\n';
    default:
      return '+OK\r\n';
  }
}

/** The answer of a mode that answers alone; undefined for silence. */
function nonsense(mode: HostileMode): string | Buffer | undefined {
  switch (mode) {
    case 'ok':
      return '+OK\r\n';
    case 'one':
      return ':1\r\n';
    case 'error':
      return '-ERR hostile redis refuses everything\r\n';
    case 'garbage':
      return Buffer.from([0x00, 0xff, 0x7f, 0x3f, 0x21, 0x0d, 0x0a, 0x47, 0x41, 0x52, 0x42, 0x41, 0x47, 0x45, 0x0d, 0x0a]);
    default:
      return undefined;
  }
}

/** One parsed command: its arguments as strings. */
type Command = string[];

/**
 * Reads commands (RESP arrays of bulk strings, or inline commands) off a growing buffer. Returns the
 * commands complete so far and what is left over for the next chunk.
 */
function readCommands(buffer: Buffer): { commands: Command[]; rest: Buffer } {
  const commands: Command[] = [];
  let offset = 0;
  for (;;) {
    const parsed = readCommand(buffer, offset);
    if (!parsed) break;
    commands.push(parsed.command);
    offset = parsed.end;
  }
  return { commands, rest: buffer.subarray(offset) };
}

function readCommand(buffer: Buffer, offset: number): { command: Command; end: number } | undefined {
  if (offset >= buffer.length) return undefined;
  const lineEnd = buffer.indexOf(CRLF, offset);
  if (lineEnd < 0) return undefined;
  if (buffer[offset] !== 0x2a /* '*' */) {
    const line = buffer.subarray(offset, lineEnd).toString();
    return { command: line.split(' ').filter((part) => part !== ''), end: lineEnd + 2 };
  }
  const count = Number(buffer.subarray(offset + 1, lineEnd).toString());
  const command: Command = [];
  let at = lineEnd + 2;
  for (let i = 0; i < count; i++) {
    const headerEnd = buffer.indexOf(CRLF, at);
    if (headerEnd < 0) return undefined;
    const length = Number(buffer.subarray(at + 1, headerEnd).toString());
    const start = headerEnd + 2;
    if (buffer.length < start + length + 2) return undefined;
    command.push(buffer.subarray(start, start + length).toString());
    at = start + length + 2;
  }
  return { command, end: at };
}

/** The length of the complete RESP2 reply at `offset`, or undefined when it has not all arrived. */
function replyLength(buffer: Buffer, offset: number): number | undefined {
  const lineEnd = buffer.indexOf(CRLF, offset);
  if (lineEnd < 0) return undefined;
  const type = String.fromCharCode(buffer[offset] ?? 0);
  const header = lineEnd + 2 - offset;
  if (type === '+' || type === '-' || type === ':') return header;
  const size = Number(buffer.subarray(offset + 1, lineEnd).toString());
  if (type === '$') {
    if (size < 0) return header;
    return buffer.length >= lineEnd + 2 + size + 2 ? header + size + 2 : undefined;
  }
  if (type === '*') {
    let at = lineEnd + 2;
    for (let i = 0; i < Math.max(size, 0); i++) {
      const element = replyLength(buffer, at);
      if (element === undefined) return undefined;
      at += element;
    }
    return at - offset;
  }
  throw new Error(`upstream sent a reply of unknown type ${JSON.stringify(type)}`);
}

/**
 * A Redis that misbehaves on purpose, for proving the gateway survives one: a TCP server speaking
 * RESP2 that answers each client's handshake as a real Redis would (so ioredis reaches `ready`), then
 * answers every other command as its mode says (see HostileMode).
 */
export async function startHostileRedis(options: HostileRedisOptions): Promise<HostileRedis> {
  let mode = options.mode;
  const delayMs = options.delayMs ?? 1_000;
  const notice = options.notice ?? (() => JSON.stringify({ forged: true, points: [1e300, -5] }));
  const sockets = new Set<Socket>();
  const seen: Record<string, number> = {};
  let connections = 0;
  /** `otherKey`: the keys SET through this server, newest last. */
  const keys: string[] = [];

  const server: Server = createServer((client) => {
    connections++;
    sockets.add(client);
    client.on('error', () => undefined);
    client.on('close', () => {
      sockets.delete(client);
      upstream?.destroy();
    });
    /** Per command forwarded, in order: whether its answer is part of the handshake. */
    const pending: { name: string; handshake: boolean }[] = [];
    let upstream: Socket | undefined;
    let upstreamBuffer = Buffer.alloc(0);
    let clientBuffer = Buffer.alloc(0);
    /** `slow`: answers leave in order, each `delayMs` after it arrived. */
    let lastRelease = 0;
    const subscribed = new Set<string>();

    const send = (data: string | Buffer): void => {
      if (!client.destroyed) client.write(data);
    };
    const push = (channel: string, message: string): void => send(array([bulk('message'), bulk(channel), bulk(message)]));

    const onUpstreamReply = (reply: Buffer): void => {
      const command = pending.shift();
      if (!command || command.handshake || mode === 'pass' || mode === 'otherKey') return send(reply);
      switch (mode) {
        case 'slow': {
          const at = Math.max(Date.now() + delayMs, lastRelease);
          lastRelease = at;
          setTimeout(() => send(reply), at - Date.now());
          return;
        }
        case 'closeMidReply':
          send(reply.subarray(0, Math.max(1, Math.floor(reply.length / 2))));
          client.destroy();
          return;
        case 'unsolicited':
          if (command.name === 'SUBSCRIBE') {
            send(reply);
            for (const channel of subscribed) push(channel, notice(channel));
            // A push with nothing in it: what a message has at [0], ioredis reads without looking.
            send('*0\r\n');
          } else {
            if (subscribed.size === 0) push('nobody-subscribed', notice('nobody-subscribed'));
            send(reply);
          }
          return;
        default:
          // The mode changed to one that answers alone while this answer was on its way.
          return send(reply);
      }
    };

    const forward = (command: Command): void => {
      if (!options.upstream) throw new Error(`hostile redis mode ${mode} needs an upstream`);
      if (!upstream) {
        const { hostname, port } = new URL(options.upstream);
        upstream = connect(Number(port), hostname);
        upstream.on('error', () => client.destroy());
        upstream.on('close', () => client.destroy());
        upstream.on('data', (chunk: Buffer) => {
          upstreamBuffer = Buffer.concat([upstreamBuffer, chunk]);
          for (;;) {
            const length = upstreamBuffer.length === 0 ? undefined : replyLength(upstreamBuffer, 0);
            if (length === undefined) break;
            const reply = upstreamBuffer.subarray(0, length);
            upstreamBuffer = upstreamBuffer.subarray(length);
            onUpstreamReply(Buffer.from(reply));
          }
        });
      }
      upstream.write(array(command.map(bulk)));
    };

    client.on('data', (chunk: Buffer) => {
      const { commands, rest } = readCommands(Buffer.concat([clientBuffer, chunk]));
      clientBuffer = Buffer.from(rest);
      for (const original of commands) {
        let command = original;
        const name = (command[0] ?? '').toUpperCase();
        seen[name] = (seen[name] ?? 0) + 1;
        const handshake = HANDSHAKE.has(name) && !options.hostileHandshake;
        if (name === 'SUBSCRIBE') for (const channel of command.slice(1)) subscribed.add(channel);
        if (name === 'SET' && command[1] !== undefined) {
          const known = keys.indexOf(command[1]);
          if (known >= 0) keys.splice(known, 1);
          keys.push(command[1]);
        }
        if (!handshake && mode === 'otherKey' && name === 'GET' && command[1] !== undefined) {
          const other = [...keys].reverse().find((key) => key !== command[1]);
          if (other !== undefined) command = ['GET', other];
        }
        if (PROXY_MODES.has(mode)) {
          pending.push({ name, handshake });
          forward(command);
        } else if (handshake) {
          send(handshakeReply(name));
        } else {
          const answer = nonsense(mode);
          if (answer !== undefined) send(answer);
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `redis://127.0.0.1:${port}`,
    connections: () => connections,
    commands: () => ({ ...seen }),
    setMode(next) {
      mode = next;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
