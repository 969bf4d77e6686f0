/**
 * The shape an agent reads best: a series' points as `[time, value]` pairs (beside its total and the
 * rest of its fields), and lists flat (`nodes` plus `endCursor` and `hasNextPage`, instead of edges
 * and pageInfo). Everything else stays as GraphQL answered it.
 */
export function compactResult(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(compactResult);
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(object)) {
    if (key === 'points' && Array.isArray(field)) out[key] = pairs(field) ?? compactResult(field);
    else if (key === 'edges' && Array.isArray(field)) out['nodes'] = field.map((edge) => compactResult(nodeOf(edge)));
    else if (key === 'pageInfo' && field !== null && typeof field === 'object') Object.assign(out, pageOf(field as Record<string, unknown>));
    else out[key] = compactResult(field);
  }
  return out;
}

/**
 * Points of one time field (`time`, else `date`) and one value: `[[time, value], …]`. Undefined when
 * the points carry more (a campaign's channels): those stay objects, compacted within.
 */
function pairs(points: readonly unknown[]): unknown[][] | undefined {
  const rows: unknown[][] = [];
  for (const point of points) {
    if (point === null || typeof point !== 'object' || Array.isArray(point)) return undefined;
    const fields = point as Record<string, unknown>;
    const timeKey = 'time' in fields ? 'time' : 'date' in fields ? 'date' : undefined;
    if (timeKey === undefined) return undefined;
    const rest = Object.keys(fields).filter((key) => key !== 'time' && key !== 'date');
    if (rest.length !== 1) return undefined;
    const measure = fields[rest[0] as string];
    if (measure !== null && typeof measure === 'object') return undefined;
    rows.push([fields[timeKey], measure]);
  }
  return rows;
}

function nodeOf(edge: unknown): unknown {
  return edge !== null && typeof edge === 'object' && 'node' in edge ? (edge as { node: unknown }).node : edge;
}

/** What continuing a list needs; the start cursor and hasPreviousPage are for paging back, which agents do not. */
function pageOf(pageInfo: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if ('endCursor' in pageInfo) out['endCursor'] = pageInfo['endCursor'];
  if ('hasNextPage' in pageInfo) out['hasNextPage'] = pageInfo['hasNextPage'];
  return out;
}
