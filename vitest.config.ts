import {defineConfig} from 'vitest/config';

export default defineConfig({
	// The tests run React in production mode (as memmon does): compile JSX for it.
	oxc: {jsx: {runtime: 'automatic', development: false}},
	test: {
		include: ['test/**/*.test.{ts,tsx}'],
		testTimeout: 30_000,
		hookTimeout: 30_000,
		pool: 'forks',
		env: {
			FORCE_COLOR: '0',
			NODE_ENV: 'production',
			// Ink writes no frame until exit when it thinks it runs in CI; the view tests need the
			// interactive renderer. (.ci/run marks a CI run with MEMMON_CI=1.)
			CI: 'false',
		},
	},
});
