import { readFileSync } from 'node:fs';

/**
 * The number of file descriptors this process may hold (the soft RLIMIT_NOFILE; Node raises it to the
 * hard limit as it starts), from the "Max open files" line of /proc/self/limits. undefined when it is
 * unlimited or cannot be known (not Linux): then nothing is checked against it.
 */
export function readDescriptorLimit(path = '/proc/self/limits'): number | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  return parseDescriptorLimit(text);
}

/** The soft "Max open files" value of a /proc/<pid>/limits text. */
export function parseDescriptorLimit(text: string): number | undefined {
  const match = /^Max open files\s+(\d+|unlimited)\s/m.exec(text);
  if (match?.[1] === undefined || match[1] === 'unlimited') return undefined;
  const limit = Number(match[1]);
  return Number.isSafeInteger(limit) ? limit : undefined;
}
