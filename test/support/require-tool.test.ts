import { describe, expect, it } from 'vitest';
import { skipTestWithoutTool, toolsRequired } from './require-tool.js';

// The switch CI flips so a missing tool fails the run instead of skipping suites silently.
describe('require-tool', () => {
  it('reads REGIONCTL_REQUIRE_TOOLS as a flag', () => {
    expect(toolsRequired({})).toBe(false);
    for (const off of ['', '0', 'false', 'FALSE']) expect(toolsRequired({ REGIONCTL_REQUIRE_TOOLS: off })).toBe(false);
    for (const on of ['1', 'true', 'yes']) expect(toolsRequired({ REGIONCTL_REQUIRE_TOOLS: on })).toBe(true);
  });

  it('skips a test whose tool is missing, or fails it when tools are required', () => {
    const skipped: string[] = [];
    const ctx = { skip: (why: string) => skipped.push(why) } as never;
    skipTestWithoutTool(ctx, 'dig', undefined, { REGIONCTL_REQUIRE_TOOLS: '1' });
    expect(skipped).toEqual([]);
    skipTestWithoutTool(ctx, 'dig', 'dig is not installed', {});
    expect(skipped).toEqual(['dig is not installed']);
    expect(() => skipTestWithoutTool(ctx, 'dig', 'dig is not installed', { REGIONCTL_REQUIRE_TOOLS: '1' })).toThrow(
      'dig is required here (REGIONCTL_REQUIRE_TOOLS is set) but dig is not installed',
    );
    expect(skipped).toHaveLength(1);
  });
});
