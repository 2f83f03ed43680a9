import { it, type TestContext } from 'vitest';

// Suites that drive an outside tool (AWS CLI v2, dig, boto3, moto, cfn-lint) skip on a laptop that
// lacks it, saying why. In CI (.ci/run exports REGIONCTL_REQUIRE_TOOLS=1) a missing tool must fail
// the run instead: a skipped suite there is a check that silently stopped being made.

export function toolsRequired(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = env.REGIONCTL_REQUIRE_TOOLS;
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

function requiredMessage(tool: string, why: string): string {
  return `${tool} is required here (REGIONCTL_REQUIRE_TOOLS is set) but ${why}`;
}

/**
 * Call at a test file's top level with why `tool` cannot run (undefined when it can). Returns
 * true when the tool's tests should be skipped. When tools are required, it registers a test that
 * fails with the reason instead, and returns true so the real tests do not run against nothing.
 */
export function skipWithoutTool(tool: string, missing: string | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  if (missing === undefined) return false;
  if (toolsRequired(env)) {
    it(`${tool} is installed`, () => {
      throw new Error(requiredMessage(tool, missing));
    });
  } else {
    console.warn(`skipping the ${tool} tests: ${missing} (set REGIONCTL_REQUIRE_TOOLS=1 to make this a failure)`);
  }
  return true;
}

/** Inside a running test: skip it when `why` is set, or fail it when tools are required. */
export function skipTestWithoutTool(ctx: TestContext, tool: string, why: string | undefined, env: NodeJS.ProcessEnv = process.env): void {
  if (why === undefined) return;
  if (toolsRequired(env)) throw new Error(requiredMessage(tool, why));
  ctx.skip(why);
}
