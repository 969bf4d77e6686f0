import type { ConversionEventCounts } from '../endpoints/answers/conversions.js';
import { builder } from './builder.js';

/**
 * Conversions per conversion event as lists, however many events a campaign or Canvas has: Braze
 * names them `conversions`, `conversions1`, … `conversions<n>` ("4+ likewise"), and a field per name
 * would need a schema change for each new one. The older fixed fields (`conversions1`…`conversions3`
 * on campaign stats, `conversions` and `conversionsByEntryTime` on Canvas stats) stay.
 */

const INDEX_DESCRIPTION =
  'The conversion event\'s place in the order Braze keeps them: 0 is the primary event (Braze `conversions`), n is Braze `conversions<n>`, the (n+1)th event.';

export const CampaignConversionEventRef = builder.objectRef<ConversionEventCounts>('CampaignConversionEvent').implement({
  description:
    "Conversions of one of a campaign's conversion events (Braze `conversions<n>` and `conversions<n>_by_send_time`): `index` is its place in `Campaign.conversionBehaviors`.",
  fields: (t) => ({
    index: t.exposeInt('index', { description: INDEX_DESCRIPTION }),
    conversions: t.field({ type: 'SafeInt', nullable: true, description: 'Conversions of the event (Braze `conversions<n>`); null when Braze did not report it.', resolve: ({ conversions }) => conversions }),
    bySendTime: t.field({
      type: 'SafeInt',
      nullable: true,
      description: 'Conversions of the event attributed to the date the message was sent (Braze `conversions<n>_by_send_time`); null when Braze did not report it.',
      resolve: ({ byTime }) => byTime,
    }),
  }),
});

export const CanvasConversionEventRef = builder.objectRef<ConversionEventCounts>('CanvasConversionEvent').implement({
  description: "Conversions of one of a Canvas's conversion events (Braze `conversions<n>` and `conversions<n>_by_entry_time`).",
  fields: (t) => ({
    index: t.exposeInt('index', { description: INDEX_DESCRIPTION }),
    conversions: t.field({ type: 'SafeInt', nullable: true, description: 'Conversions of the event (Braze `conversions<n>`); null when Braze did not report it.', resolve: ({ conversions }) => conversions }),
    byEntryTime: t.field({
      type: 'SafeInt',
      nullable: true,
      description: 'Conversions of the event by the time of entry into the Canvas (Braze `conversions<n>_by_entry_time`); null when Braze did not report it.',
      resolve: ({ byTime }) => byTime,
    }),
  }),
});

export const CONVERSION_EVENTS_DESCRIPTION = 'Conversions per conversion event, by `index` (0 the primary event), however many there are: each one Braze reported.';
