// The process entry: turns Node's compile cache and source maps on before the gateway's modules are loaded
// (a static import would load them first), then runs the gateway (./gateway.js: the environment, the start,
// the signals).
import { enableCompileCache } from './compileCache.js';

const compileCache = enableCompileCache(process.env);
// The built gateway is one bundle (scripts/build-server.ts): without its source map a stack trace names
// dist/gateway.js:95344, with it src/graphiqlSite/page.ts. Node 20 reads the map as the bundle loads (about
// 35 ms of a 430 ms start); Node 22 and later when a trace is first formatted.
process.setSourceMapsEnabled(true);
const { runGateway } = await import('./gateway.js');
await runGateway(compileCache);
