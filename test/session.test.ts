import fs from 'node:fs';
import path from 'node:path';
import {expect, test} from 'vitest';
import {syntheticRun} from './helpers/pipeline.js';

test('a wall-clock step (NTP) changes neither intervals nor the log: elapsed and timestamps stay monotonic', async () => {
	const run = syntheticRun({live: false});
	try {
		await run.advance(30);
		run.clock.stepWall(-3_600_000);
		await run.advance(30);
		run.clock.stepWall(+7_200_000);
		await run.advance(30);
		run.session.sampleLog.flush();
		const rows = fs.readFileSync(path.join(run.runDir, 'samples.csv'), 'utf8').trim().split('\n').slice(1).map(line => line.split(','));
		expect(rows).toHaveLength(91);
		for (let i = 1; i < rows.length; i++) {
			expect(Number(rows[i]![0]) - Number(rows[i - 1]![0])).toBe(1);
			expect(Date.parse(rows[i]![1]!) - Date.parse(rows[i - 1]![1]!)).toBe(1000);
		}
	} finally {
		run.close();
	}
});
