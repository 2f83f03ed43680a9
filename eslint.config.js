// ESLint: typescript-eslint with type information, and the layers of DESIGN.md §2 as import rules.
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

// Layers run one way: commands → features → stage → aws/config/io → kernel (the files directly in
// src/). The local cloud imports nothing from the CLI side (kernel only); Lambda handlers are bundled
// on their own and import nothing outside src/lambdas.
const FEATURES = ['deploy', 'drill', 'observe', 'routing', 'doctor', 'iam-policy', 'gameday', 'replication'];
const INFRA = ['aws', 'config', 'io'];
const CLI = ['commands', 'cli'];
const KERNEL = ['errors', 'wait', 'fan-out', 'regions', 'synced-file', 'cfn-yaml', 'did-you-mean'];

/** For each directory under src/ (or "." for the files directly in src/): what it must not import. */
export const LAYERS = [
  { dir: '.', name: 'the kernel', forbidden: [...CLI, ...FEATURES, 'stage', ...INFRA, 'local-cloud', 'lambdas'] },
  ...INFRA.map((dir) => ({ dir, name: `${dir} (aws/config/io)`, forbidden: [...CLI, ...FEATURES, 'stage', 'local-cloud', 'lambdas'] })),
  { dir: 'stage', name: 'the stage model', forbidden: [...CLI, ...FEATURES, 'local-cloud', 'lambdas'] },
  ...FEATURES.map((dir) => ({ dir, name: `the ${dir} feature`, forbidden: [...CLI, 'local-cloud', 'lambdas'] })),
  { dir: 'local-cloud', name: 'the local cloud', forbidden: [...CLI, ...FEATURES, 'stage', ...INFRA, 'lambdas'] },
  { dir: 'lambdas', name: 'a Lambda handler', forbidden: [...CLI, ...FEATURES, 'stage', ...INFRA, 'local-cloud', ...KERNEL] },
];

// Files directly in src/ that are a module rather than a folder.
const FILE_MODULES = new Set(['cli', ...KERNEL]);
const MAX_DEPTH = 6;

// Relative specifiers are matched exactly: from a file `depth` folders below src/, "../" repeated
// `depth` times reaches src/, so "../../commands/x.js" from src/local-cloud/s3/ is src/commands.
function forbiddenSource(forbidden, depth) {
  const up = depth === 0 ? '\\./' : `(\\.\\./){${depth}}`;
  const targets = forbidden.map((t) => (FILE_MODULES.has(t) ? `${t}\\.js$` : `${t}(/|\\.js$)`)).join('|');
  return `^${up}(${targets})`;
}

/** One config object per layer and folder depth: static imports, re-exports and import(). */
export const boundaries = LAYERS.flatMap(({ dir, name, forbidden }) =>
  Array.from({ length: dir === '.' ? 1 : MAX_DEPTH }, (_, i) => {
    const depth = dir === '.' ? 0 : i + 1;
    const files = dir === '.' ? ['src/*.ts'] : [`src/${dir}/${'*/'.repeat(i)}*.ts`];
    const regex = forbiddenSource(forbidden, depth);
    const message = `layer rule (DESIGN.md §2): ${name} must not import ${forbidden.join(', ')}.`;
    return {
      name: `regionctl/boundaries/${dir}/${depth}`,
      files,
      ignores: dir === '.' ? ['src/cli.ts'] : [],
      rules: {
        'no-restricted-imports': ['error', { patterns: [{ regex, message }] }],
        // esquery regexes cannot hold "/", so it is written \x2F there.
        'no-restricted-syntax': ['error', { selector: `ImportExpression[source.value=/${regex.replaceAll('/', '\\x2F')}/]`, message }],
      },
    };
  }),
);

/** The TypeScript rules; they need type information (the tsconfig's program). */
export const typeChecked = [
  {
    name: 'regionctl/typescript',
    files: ['**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      'no-unused-vars': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { args: 'after-used', argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      'no-unused-private-class-members': 'error',
      'no-unreachable': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
    },
  },
];


// Tests and benchmarks: the same checks, but `any` is allowed where a test drives malformed input.
const lighter = {
  name: 'regionctl/tests',
  files: ['test/**/*.ts', 'bench/**/*.ts', 'vitest.config.ts'],
  rules: { '@typescript-eslint/no-explicit-any': 'off' },
};

export default defineConfig(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.regionctl/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  typeChecked,
  lighter,
  boundaries,
);
