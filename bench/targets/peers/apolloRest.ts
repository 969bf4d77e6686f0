// The peer that the cache-off scenario is compared with: a minimal Apollo Server 5 with a
// RESTDataSource over the same fake Braze, answering the one field the scenario asks
// (`eventSeries(event, length, endingAt) { event unit endingAt total points { time count } }`) the way a
// team would write it in an afternoon: one data source per request, one GET per distinct series (the
// data source deduplicates GETs within a request), no cross-request sharing and no cache. It checks the
// same bearer token as the gateways, so both sides do an authorization step.
//
// Only the bench uses it; it is no part of the gateway.
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { RESTDataSource } from '@apollo/datasource-rest';
import { GraphQLError } from 'graphql';

const typeDefs = /* GraphQL */ `
  type Point {
    time: String!
    count: Int!
  }
  type EventSeries {
    event: String!
    unit: String!
    endingAt: String!
    total: Int!
    points: [Point!]!
  }
  type Query {
    eventSeries(event: String!, length: Int!, endingAt: String!): EventSeries!
  }
`;

interface BrazePoint {
  readonly time: string;
  readonly count: number;
}

class BrazeEvents extends RESTDataSource {
  constructor(baseURL: string, private readonly apiKey: string) {
    super();
    this.baseURL = baseURL;
  }

  async series(event: string, length: number, endingAt: string): Promise<BrazePoint[]> {
    const answer = await this.get<{ data: BrazePoint[] }>('events/data_series', {
      params: { event, length: String(length), unit: 'day', ending_at: endingAt },
      headers: { authorization: `Bearer ${this.apiKey}` },
    });
    return answer.data;
  }
}

interface PeerContext {
  readonly events: BrazeEvents;
}

export interface ApolloRestPeer {
  /** The GraphQL endpoint, e.g. http://127.0.0.1:40003/ (the standalone server answers on every path). */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Starts the peer with Apollo's own standalone HTTP server on 127.0.0.1 (a free port), calling the fake
 * Braze at `upstream` (an origin).
 */
export async function startApolloRestPeer(upstream: string, token: string): Promise<ApolloRestPeer> {
  const apollo = new ApolloServer<PeerContext>({
    typeDefs,
    resolvers: {
      Query: {
        eventSeries: async (_: unknown, args: { event: string; length: number; endingAt: string }, { events }: PeerContext) => {
          const points = await events.series(args.event, args.length, args.endingAt);
          return {
            event: args.event,
            unit: 'DAY',
            endingAt: args.endingAt,
            total: points.reduce((sum, point) => sum + point.count, 0),
            points,
          };
        },
      },
    },
    // Production settings: no introspection, no landing page.
    introspection: false,
  });
  const { url } = await startStandaloneServer(apollo, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }) => {
      if (req.headers.authorization !== `Bearer ${token}`) {
        throw new GraphQLError('unauthenticated', { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
      }
      return { events: new BrazeEvents(`${upstream}/`, 'bench-key') };
    },
  });
  return { url, close: () => apollo.stop() };
}
