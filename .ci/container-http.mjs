// HTTP checks for .ci/container-smoke.sh, on the machine's Node (no curl or jq needed, no dependency).
//   wait <url> <seconds>        polls until the URL answers 200; exit 1 at the deadline
//   replicas <url> <n> <seconds> polls until answers 200 from n different x-served-by replicas
//   status <url>                prints the status code
//   query <graphqlUrl>          the smoke query once; prints its sum; exit 1 unless it has data
//   burst <graphqlUrl> <n>      n identical queries at once; exit 1 unless every one has the same data;
//                               prints which replica (x-served-by) answered how many
//   attempts <metricsText>      (stdin) prints the sum of braze_gateway_upstream_attempts_total
//   mcp <mcpUrl>                an MCP session over Streamable HTTP (initialize, tools/list, a tool call, DELETE);
//                               prints the tools' count, then the replicas that answered (x-served-by, when a balancer names them)
const [command, target, arg] = process.argv.slice(2);

// A fixed window: every replica asks Braze (here the simulated one) the same question.
const QUERY = '{ eventSeries(event: "purchase", length: 7, unit: DAY, endingAt: "2026-11-01T00:00:00Z") { sum } }';

async function query(url) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query: QUERY }),
  });
  const body = await response.json();
  const sum = body?.data?.eventSeries?.sum;
  if (response.status !== 200 || typeof sum !== 'number' || body.errors !== undefined) {
    throw new Error(`query answered ${response.status}: ${JSON.stringify(body).slice(0, 500)}`);
  }
  return { sum, servedBy: response.headers.get('x-served-by') ?? 'unknown' };
}

function fail(message) {
  process.stderr.write(`container-http.mjs ${command}: ${message}\n`);
  process.exit(1);
}

switch (command) {
  case 'wait': {
    const deadline = Date.now() + Number(arg) * 1000;
    for (;;) {
      try {
        const response = await fetch(target);
        await response.arrayBuffer();
        if (response.status === 200) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) fail(`${target} did not answer 200 within ${arg} s`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    break;
  }
  case 'replicas': {
    const [count, seconds] = [Number(arg), Number(process.argv[5])];
    const seen = new Set();
    const deadline = Date.now() + seconds * 1000;
    while (seen.size < count) {
      try {
        const response = await fetch(target);
        await response.arrayBuffer();
        const replica = response.headers.get('x-served-by');
        if (response.status === 200 && replica !== null) seen.add(replica);
      } catch {
        // the balancer is not listening yet
      }
      if (Date.now() > deadline) fail(`only ${[...seen].join(', ') || 'no replica'} answered within ${seconds} s`);
      if (seen.size < count) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    break;
  }
  case 'status': {
    const response = await fetch(target);
    await response.arrayBuffer();
    process.stdout.write(`${response.status}\n`);
    break;
  }
  case 'query': {
    const { sum } = await query(target).catch((error) => fail(error.message));
    process.stdout.write(`${sum}\n`);
    break;
  }
  case 'burst': {
    const answers = await Promise.all(Array.from({ length: Number(arg) }, () => query(target))).catch((error) => fail(error.message));
    const sums = new Set(answers.map((answer) => answer.sum));
    if (sums.size !== 1) fail(`different answers: ${[...sums].join(', ')}`);
    const served = {};
    for (const answer of answers) served[answer.servedBy] = (served[answer.servedBy] ?? 0) + 1;
    process.stdout.write(`${JSON.stringify(served)}\n`);
    break;
  }
  case 'attempts': {
    let text = '';
    for await (const chunk of process.stdin) text += chunk;
    const total = text
      .split('\n')
      .filter((line) => line.startsWith('braze_gateway_upstream_attempts_total'))
      .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
    process.stdout.write(`${total}\n`);
    break;
  }
  case 'mcp': {
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const servedBy = new Set();
    const rpc = async (body, extra = {}) => {
      const response = await fetch(target, { method: 'POST', headers: { ...headers, ...extra }, body: JSON.stringify({ jsonrpc: '2.0', ...body }) });
      const text = await response.text();
      if (response.headers.get('x-served-by')) servedBy.add(response.headers.get('x-served-by'));
      if (response.status >= 300) fail(`${body.method} answered ${response.status}: ${text.slice(0, 500)}`);
      return { response, answer: text === '' ? undefined : JSON.parse(text) };
    };
    const init = await rpc({ id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'container-smoke', version: '1' } } });
    const session = init.response.headers.get('mcp-session-id');
    if (session === null || init.answer?.result?.serverInfo === undefined) fail(`initialize gave no session: ${JSON.stringify(init.answer).slice(0, 500)}`);
    const version = init.answer.result.protocolVersion;
    const extra = { 'mcp-session-id': session, 'mcp-protocol-version': version };
    await rpc({ method: 'notifications/initialized' }, extra);
    const { answer } = await rpc({ id: 2, method: 'tools/list' }, extra);
    const tools = answer?.result?.tools;
    if (!Array.isArray(tools) || tools.length === 0) fail(`tools/list listed no tool: ${JSON.stringify(answer).slice(0, 500)}`);
    const call = await rpc({ id: 3, method: 'tools/call', params: { name: 'custom_events', arguments: {} } }, extra);
    if (call.answer?.result === undefined || call.answer.result.isError) fail(`tools/call custom_events failed: ${JSON.stringify(call.answer).slice(0, 500)}`);
    const ended = await fetch(target, { method: 'DELETE', headers: extra });
    await ended.arrayBuffer();
    if (ended.status !== 200) fail(`DELETE answered ${ended.status}`);
    process.stdout.write(`${tools.length}${servedBy.size > 0 ? ` ${[...servedBy].sort().join(',')}` : ''}\n`);
    break;
  }
  default:
    fail('usage: wait|status|query|burst|attempts|mcp');
}
