// Composes subgraph SDL files into a supergraph with The Guild's federation composition, the same
// engine Hive Gateway uses. `npm run compose -- NAME URL FILE [NAME URL FILE ...] > supergraph.graphql`
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { composeServices } from '@theguild/federation-composition';
import { parse } from 'graphql';

export interface SubgraphSource {
  name: string;
  url: string;
  sdl: string;
}

/** The supergraph SDL, or an Error listing every composition error. */
export function composeSupergraph(subgraphs: readonly SubgraphSource[]): string {
  const result = composeServices(subgraphs.map(({ name, url, sdl }) => ({ name, url, typeDefs: parse(sdl) })));
  if (result.errors) throw new Error(`composition failed:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`);
  return result.supergraphSdl;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  if (args.length === 0 || args.length % 3 !== 0) {
    process.stderr.write('usage: compose-supergraph NAME URL FILE [NAME URL FILE ...]\n');
    process.exit(2);
  }
  const subgraphs: SubgraphSource[] = [];
  for (let i = 0; i < args.length; i += 3) {
    const [name = '', url = '', file = ''] = args.slice(i, i + 3);
    subgraphs.push({ name, url, sdl: readFileSync(file, 'utf8') });
  }
  process.stdout.write(`${composeSupergraph(subgraphs)}\n`);
}
