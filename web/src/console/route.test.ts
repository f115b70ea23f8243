import { describe, expect, it } from 'vitest';
import { isConsolePath } from './route';

describe('which screen a path shows', () => {
  it('/console and below it are the console; everything else the chat', () => {
    expect(isConsolePath('/console')).toBe(true);
    expect(isConsolePath('/console/')).toBe(true);
    expect(isConsolePath('/console/R-12')).toBe(true);
    expect(isConsolePath('/')).toBe(false);
    expect(isConsolePath('/consoles')).toBe(false);
    expect(isConsolePath('/report')).toBe(false);
  });
});
