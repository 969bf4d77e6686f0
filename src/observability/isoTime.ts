/**
 * `date` in ISO-8601 UTC, or undefined when it is no instant at all: an Invalid Date's toISOString
 * throws, and what is shown in a response, /health or a metric must never throw for a value that
 * came from elsewhere (Braze's headers, Redis).
 */
export function isoTime(date: Date | undefined): string | undefined {
  return date === undefined || Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
