/** The value of one sample in Prometheus's text format, e.g. sampleValue(text, 'x_total', { code: 'A' }); undefined when absent. */
export function sampleValue(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .sort()
    .join(',');
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const got = (match[2] ?? '').split(',').filter((l) => l !== '').sort().join(',');
    if (got === wanted) return Number(match[3]);
  }
  return undefined;
}
