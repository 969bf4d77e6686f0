import { describe, expect, it } from 'vitest';
import { parseDescriptorLimit, readDescriptorLimit } from '../src/descriptorLimit.js';

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max cpu time              unlimited            unlimited            seconds
Max processes             96365                96365                processes
Max open files            1024                 524288               files
Max locked memory         8388608              8388608              bytes
`;

describe('the process descriptor limit', () => {
  it('is the soft "Max open files" value of /proc/<pid>/limits', () => {
    expect(parseDescriptorLimit(LIMITS)).toBe(1024);
  });

  it('is unknown when unlimited, missing, or not a number', () => {
    expect(parseDescriptorLimit(LIMITS.replace('1024 ', 'unlimited'))).toBeUndefined();
    expect(parseDescriptorLimit('Max processes 10 10 processes\n')).toBeUndefined();
    expect(parseDescriptorLimit('')).toBeUndefined();
    expect(readDescriptorLimit('/nonexistent/limits')).toBeUndefined();
  });
});

