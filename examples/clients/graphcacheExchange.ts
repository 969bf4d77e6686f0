import { cacheExchange, type KeyingConfig } from '@urql/exchange-graphcache';
import schema from '../../schema/introspection.urql.json' with { type: 'json' };
import valueTypes from '../../schema/valueTypes.json' with { type: 'json' };

// Types without an id are stored inside their parent: a key of null says so (no "Invalid key" warning).
const keys: KeyingConfig = Object.fromEntries(valueTypes.valueTypes.map((type) => [type, () => null]));

export const createCacheExchange = () =>
  cacheExchange({
    keys,
    // The schema, for exact fragment matching on ChannelStats and PurchaseSeries: with `possibleTypes`
    // alone, graphcache still writes every inline fragment and warns of the fields an entry lacks.
    schema,
  });
