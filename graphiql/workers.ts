import editorWorker from 'inline-worker:editor';
import graphqlWorker from 'inline-worker:graphql';
import jsonWorker from 'inline-worker:json';

/**
 * Monaco's workers, bundled into the page as text by scripts/build-graphiql.ts and started from blob
 * URLs: nothing is fetched from anywhere, not even from the gateway.
 */
function blobUrl(source: string): string {
  return URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
}

const urls: Record<string, string> = { editor: blobUrl(editorWorker), graphql: blobUrl(graphqlWorker), json: blobUrl(jsonWorker) };

(globalThis as { MonacoEnvironment?: unknown }).MonacoEnvironment = {
  getWorker(_workerId: string, label: string): Worker {
    return new Worker(urls[label] ?? urls['editor'] ?? '');
  },
};
