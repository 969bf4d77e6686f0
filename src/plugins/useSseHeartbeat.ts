import type { Plugin } from 'graphql-yoga';

export interface SseHeartbeatOptions {
  /** Time between two comments on a quiet stream; keep it under SERVER_IDLE_TIMEOUT_MS. */
  intervalMs: number;
}

const COMMENT = new TextEncoder().encode(':\n\n');

/**
 * Keeps SSE streams (live series) open through the listener's idle timeout: a comment line (`:`,
 * which every SSE client ignores) every `intervalMs` while the stream is open. Yoga's own keep-alive
 * comes every 12 s, longer than SERVER_IDLE_TIMEOUT_MS' 5 s, so a series pushed less often would be
 * cut. A write is activity for the socket's idle timer; a client that stops reading still times out
 * once its buffers are full. Default: not installed; the gateway installs it with half the idle timeout.
 */
export function useSseHeartbeat({ intervalMs }: SseHeartbeatOptions): Plugin {
  return {
    onResponse({ response, setResponse, fetchAPI }) {
      const body = response.body;
      if (body === null || !response.headers.get('content-type')?.startsWith('text/event-stream')) return;
      const reader = body.getReader();
      let timer: ReturnType<typeof setInterval> | undefined;
      const stop = (): void => {
        clearInterval(timer);
        timer = undefined;
      };
      const stream = new fetchAPI.ReadableStream<Uint8Array>({
        start(controller) {
          timer = setInterval(() => {
            try {
              controller.enqueue(COMMENT);
            } catch {
              // Closed or errored meanwhile.
              stop();
            }
          }, intervalMs);
        },
        async pull(controller) {
          try {
            const { done, value } = await reader.read();
            if (done) {
              stop();
              controller.close();
            } else controller.enqueue(value);
          } catch (error) {
            stop();
            controller.error(error);
          }
        },
        cancel(reason) {
          stop();
          return reader.cancel(reason);
        },
      });
      setResponse(new fetchAPI.Response(stream, { status: response.status, statusText: response.statusText, headers: response.headers }));
    },
  };
}
