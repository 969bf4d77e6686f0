import { connect, type Socket } from 'node:net';

/** A client TCP connection the test drives byte by byte, recording what came back and when it closed. */
export interface RawConnection {
  readonly socket: Socket;
  /** Date.now() when the connection was established. */
  readonly openedAt: number;
  /** Everything the server sent so far. */
  received(): string;
  /** Date.now() when the first byte from the server arrived, once it has. */
  readonly firstByteAt: Promise<number>;
  /** Date.now() when the connection closed (the server ended it, reset it, or the test destroyed it). */
  readonly closedAt: Promise<number>;
  readonly closed: () => boolean;
}

/** Opens a TCP connection to `url`'s host and port (loopback in every test) and resolves once connected. */
export async function openRaw(url: URL): Promise<RawConnection> {
  const socket = connect(Number(url.port), url.hostname);
  let text = '';
  let isClosed = false;
  // Errors (a reset by the server) end in 'close' too, which is what the tests look at.
  socket.on('error', () => undefined);
  const firstByteAt = new Promise<number>((resolve) => socket.once('data', () => resolve(Date.now())));
  socket.on('data', (chunk: Buffer) => {
    text += chunk.toString('latin1');
  });
  const closedAt = new Promise<number>((resolve) =>
    socket.once('close', () => {
      isClosed = true;
      resolve(Date.now());
    }),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('close', () => reject(new Error('connection closed before it was established')));
  });
  return { socket, openedAt: Date.now(), received: () => text, firstByteAt, closedAt, closed: () => isClosed };
}

/** Writes `text` one byte every `everyMs` until it is all sent or the connection closes. */
export function trickle(connection: RawConnection, text: string, everyMs: number): void {
  let sent = 0;
  const timer = setInterval(() => {
    if (connection.closed() || sent >= text.length) {
      clearInterval(timer);
      return;
    }
    connection.socket.write(text[sent] ?? '');
    sent += 1;
  }, everyMs);
  timer.unref();
}

/** Resolves with Date.now() when `closedAt` resolves, or with undefined after `ms`. */
export async function closedWithin(connection: RawConnection, ms: number): Promise<number | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([connection.closedAt, expired]);
  } finally {
    clearTimeout(timer);
  }
}
