import { InMemoryCache, type TypePolicies } from '@apollo/client';
import fragmentMatcher from '../../schema/possibleTypes.json' with { type: 'json' };
import valueTypes from '../../schema/valueTypes.json' with { type: 'json' };

// Series, points, stats and connections have no id: they live inside the entity or root field that
// returned them (keyFields: false), and a later answer for the same arguments merges into them.
const typePolicies: TypePolicies = Object.fromEntries(valueTypes.valueTypes.map((type) => [type, { keyFields: false, merge: true }]));

export function createApolloCache(): InMemoryCache {
  return new InMemoryCache({
    // Which object types each interface stands for: `... on PushStats { sent }` under a ChannelStats.
    possibleTypes: fragmentMatcher.possibleTypes,
    typePolicies,
  });
}
