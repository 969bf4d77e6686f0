// The process entry: turns Node's compile cache on before the gateway's modules are loaded (a static import
// would load them first), then runs the gateway (./gateway.js: the environment, the start, the signals).
import { enableCompileCache } from "./compileCache.js";

const compileCache = enableCompileCache(process.env);
const { runGateway } = await import("./gateway.js");
await runGateway(compileCache);
