// Lint: typescript-eslint's recommended rules, React hooks rules in app/, and the layering rule:
// nodes/ and runtime/ never import React or app/, and nodes/ never imports runtime/, so the
// compiler and trainer run unchanged in a worker, in Node and on a server.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const noReact = {
  paths: [
    { name: 'react', message: 'nodes/ and runtime/ must not import React.' },
    { name: 'react-dom', message: 'nodes/ and runtime/ must not import React.' },
    { name: '@xyflow/react', message: 'nodes/ and runtime/ must not import the canvas.' },
  ],
  patterns: [{ group: ['**/app/**', '../app/*', '../../app/*'], message: 'nodes/ and runtime/ must not import app/.' }],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'public/**', 'out/**', 'test-artifacts/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node, ...globals.worker } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['app/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    files: ['runtime/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', noReact] },
  },
  {
    // The graph document, its diagnostics and the wiring rules sit below the compiler and the trainer.
    files: ['runtime/graph/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: noReact.paths,
          patterns: [...noReact.patterns, { group: ['../*/**', '!../../**'], message: 'runtime/graph/ imports only nodes/ and itself.' }],
        },
      ],
    },
  },
  {
    files: ['nodes/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: noReact.paths,
          patterns: [...noReact.patterns, { group: ['**/runtime/**', '../runtime/*', '../../runtime/*'], message: 'nodes/ must not import runtime/.' }],
        },
      ],
    },
  },
);
