import {defineConfig} from 'vitest/config';

export default defineConfig({
	// The tests run React in production mode (as memmon does): compile JSX for it.
	oxc: {jsx: {runtime: 'automatic', development: false}},
	test: {
		include: ['test/**/*.test.{ts,tsx}'],
		// Real processes on a loaded 2-core machine: a 6-s run with two heap snapshots once took over 30 s.
		testTimeout: 60_000,
		hookTimeout: 30_000,
		pool: 'forks',
		// No fixture process a test started outlives the run (test/global-teardown.ts).
		globalSetup: ['test/global-teardown.ts'],
		// Most of the time goes to real processes running and being sampled, not to CPU: three files
		// at once on two cores took `vitest run` from ~200 s to ~89 s (four: ~75 s, but the load
		// then made the timing of real processes the thing under test). The longest end-to-end files
		// (where, reliability, run, the live screen's stop paths) also run their tests at once
		// (`describe.concurrent`, cleanups after the file): ~94 → ~75 s.
		maxWorkers: 3,
		env: {
			FORCE_COLOR: '0',
			NODE_ENV: 'production',
			// Ink writes no frame until exit when it thinks it runs in CI; the view tests need the
			// interactive renderer. (.ci/run marks a CI run with MEMMON_CI=1.)
			CI: 'false',
		},
	},
});
