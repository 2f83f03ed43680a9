// The seed of every property suite. Locally each run draws a fresh seed, so the suites keep
// exploring; in CI (CI=true) the seed is fixed, so a change is judged on the same inputs every time,
// and a counterexample found while exploring becomes an example test rather than a random red build
// (Hypothesis' "derandomize" setting for CI). REGIONCTL_PROPERTY_SEED replays a reported failure.
export function propertySeed(): { seed?: number } {
  const { REGIONCTL_PROPERTY_SEED: replay, CI } = process.env;
  if (replay) return { seed: Number(replay) };
  return CI === 'true' ? { seed: 20_261_201 } : {};
}
