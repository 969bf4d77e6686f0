import { builder } from './builder.js';

export const TimeUnit = builder.enumType('TimeUnit', {
  description: 'Time between data points of a series (Braze `unit`).',
  values: {
    DAY: { value: 'day', description: 'One point per day (Braze `day`, the default).' },
    HOUR: { value: 'hour', description: 'One point per hour (Braze `hour`).' },
  } as const,
});
