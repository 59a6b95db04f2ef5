import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
	// The real-process corpus's workloads are kept exactly as they were recorded.
	{ignores: ['dist/**', 'dist-bench/**', 'node_modules/**', 'coverage/**', 'memmon-reports/**', 'bench/real/workloads/**']},
	js.configs.recommended,
	...tseslint.configs.recommended,
	{
		languageOptions: {
			globals: {...globals.node},
		},
		rules: {
			'no-empty': ['error', {allowEmptyCatch: true}],
			'prefer-const': ['error', {ignoreReadBeforeAssign: true}],
			// The loop is self-scheduling timeouts on an injected clock (DESIGN.md §2).
			'no-restricted-globals': ['error', {name: 'setInterval', message: 'Use a self-scheduling timeout on the injected clock.'}],
			'@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_'}],
		},
	},
);
