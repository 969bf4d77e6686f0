import editorWorker from 'worker-url:editor';
import graphqlWorker from 'worker-url:graphql';
import jsonWorker from 'worker-url:json';

/**
 * Monaco's workers, built as files of their own by scripts/build-graphiql.ts and served by the gateway
 * beside this script: same origin, so the page's Content-Security-Policy (`worker-src 'self'`) allows
 * them and nothing else, and a browser keeps them cached like the script.
 */
const urls: Record<string, string> = { editor: editorWorker, graphql: graphqlWorker, json: jsonWorker };

(globalThis as { MonacoEnvironment?: unknown }).MonacoEnvironment = {
  getWorker(_workerId: string, label: string): Worker {
    return new Worker(urls[label] ?? urls['editor'] ?? '');
  },
};
