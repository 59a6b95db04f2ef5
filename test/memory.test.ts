/**
memmon runs for days: its own retained heap must not grow with the number of samples and frames.
The full pipeline (sampler → monitor → store → analysis → snapshot → view → FrameWriter, as memmon
draws) runs 20,000 samples on a fake clock; after a warm-up the retained heap (after forced GC)
may grow by less than 1 MiB.
*/
import {expect, test} from 'vitest';
import {gcFunction, syntheticRun} from './helpers/pipeline.js';

const gc = gcFunction();

function retained(): number {
	gc();
	gc();
	return process.memoryUsage().heapUsed;
}

test('20,000 samples and frames through the full pipeline retain < 1 MiB', async () => {
	const run = syntheticRun({live: true});
	try {
		await run.advance(2000);
		const before = retained();
		const framesBefore = run.frames();
		const writesBefore = run.writes();
		await run.advance(Number(process.env.MEMMON_FRAMES ?? 20_000));
		const after = retained();
		const frames = run.frames() - framesBefore;
		const writes = run.writes() - writesBefore;
		const growth = after - before;
		console.log(`memory: ${frames} frames (${writes} written), ${run.session.store.count} samples, retained heap growth ${(growth / 1024).toFixed(1)} KiB`);
		expect(frames).toBeGreaterThanOrEqual(Number(process.env.MEMMON_FRAMES ?? 20_000));
		expect(writes).toBeGreaterThanOrEqual(frames * 0.99);
		expect(growth).toBeLessThan(1024 * 1024);
	} finally {
		run.close();
	}
}, 300_000);
