import { describe, expect, it } from 'vitest';
import { followUrl, publicPage } from './route';

describe('publicPage', () => {
  it('routes /report and /transparency, not their look-alikes', () => {
    expect(publicPage('/report')).toBe('report');
    expect(publicPage('/report/')).toBe('report');
    expect(publicPage('/transparency')).toBe('transparency');
    expect(publicPage('/')).toBeNull();
    expect(publicPage('/reports')).toBeNull();
    expect(publicPage('/console')).toBeNull();
    expect(publicPage('/transparencyx')).toBeNull();
  });
  it('follows a notice by its reference in the query', () => {
    expect(followUrl('R-0123456789')).toBe('/report?ref=R-0123456789');
  });
});
