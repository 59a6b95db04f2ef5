import {render} from 'ink-testing-library';
import React from 'react';
import {describe, expect, test} from 'vitest';
import {chartWindow, type Zoom} from '../../source/ui/chart-window.js';
import {App, type LiveSource} from '../../source/ui/app.js';
import {leakSnapshot, leakStore} from '../helpers/snapshot.js';

async function tick(): Promise<void> {
	await new Promise(resolve => {
		setTimeout(resolve, 20);
	});
}

/** Wait, up to two seconds, for `done` (a render a loaded machine delays past one tick). */
async function until(done: () => boolean): Promise<void> {
	for (const deadline = Date.now() + 2000; !done() && Date.now() < deadline;) {
		await tick();
	}
}

function source() {
	const store = leakStore();
	const listeners = new Set<() => void>();
	const calls: string[] = [];
	let snapshot = leakSnapshot(store);
	const zooms: Zoom[] = [];
	const live: LiveSource = {
		subscribe(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		snapshot: () => snapshot,
		chart(columns, zoom) {
			zooms.push(zoom);
			return chartWindow(store, columns, zoom);
		},
		quit: () => calls.push('quit'),
		interrupt: () => calls.push('interrupt'),
		writeReport: () => calls.push('report'),
		redraw: () => calls.push('redraw'),
		mark: (label: string) => calls.push(`mark:${label}`),
	};
	const publish = (overrides: Parameters<typeof leakSnapshot>[1]) => {
		snapshot = leakSnapshot(store, overrides);
		for (const listener of listeners) {
			listener();
		}
	};

	return {live, calls, publish, zooms};
}

describe('App', () => {
	test('keys become actions', async () => {
		const {live, calls} = source();
		const {stdin, unmount} = render(<App source={live} interactive/>);
		await tick();
		stdin.write('r');
		await tick();
		stdin.write('q');
		await tick();
		stdin.write('\u000C');
		await tick();
		stdin.write('\u0003');
		await tick();
		expect(calls).toEqual(['report', 'quit', 'redraw', 'interrupt']);
		unmount();
	});

	test('a pasted label arrives as one string with its Enter: it marks, and nothing of it reaches the screen raw', async () => {
		const {live, calls} = source();
		const {stdin, lastFrame, unmount} = render(<App source={live} interactive/>);
		await tick();
		stdin.write('m');
		await tick();
		stdin.write('mid soak\r');
		await until(() => calls.length > 0 && !lastFrame()!.includes('mark label'));
		expect(calls).toEqual(['mark:mid soak']);
		expect(lastFrame()).not.toContain('mark label');
		// A paste with control characters and no Enter: the label keeps the printable ones.
		stdin.write('m');
		await tick();
		stdin.write('a\u0007b\tc');
		await until(() => lastFrame()!.split('\n').at(-1)!.startsWith('mark label: a'));
		expect(lastFrame()!.split('\n').at(-1)).toBe('mark label: abc▏ (Enter marks, Esc cancels)');
		unmount();
	});

	test('m asks for a label: Enter marks, Esc cancels, an empty label is numbered', async () => {
		const {live, calls} = source();
		const {stdin, lastFrame, unmount} = render(<App source={live} interactive/>);
		await tick();
		// Typed without waiting for a render in between, as a fast typist would: no key may be lost.
		for (const char of 'mused') {
			stdin.write(char);
		}

		await tick();

		expect(lastFrame()!.split('\n').at(-1)).toBe('mark label: used▏ (Enter marks, Esc cancels)');
		stdin.write('\r');
		await tick();
		stdin.write('m');
		await tick();
		stdin.write('x');
		await tick();
		stdin.write('\u001B');
		await tick();
		stdin.write('m');
		await tick();
		stdin.write('\r');
		await tick();
		expect(calls).toEqual(['mark:used', 'mark:mark 1']);
		// While typing, q is a letter, not quit.
		stdin.write('m');
		await tick();
		stdin.write('q');
		await tick();
		expect(calls).not.toContain('quit');
		unmount();
	});

	test('a new snapshot re-renders; p freezes the view until pressed again', async () => {
		const {live, publish} = source();
		const {stdin, lastFrame, unmount} = render(<App source={live} interactive/>);
		await tick();
		publish({samples: 61});
		await tick();
		expect(lastFrame()).toContain('61 samples');
		stdin.write('p');
		await tick();
		publish({samples: 62});
		await tick();
		expect(lastFrame()).toContain('❚❚ paused');
		expect(lastFrame()).toContain('61 samples');
		stdin.write('p');
		await tick();
		expect(lastFrame()).toContain('62 samples');
		unmount();
	});

	test('with draw (as memmon runs it), the lines go to the writer, once per new snapshot, and Ink draws nothing', async () => {
		const {live, publish} = source();
		const frames: Array<readonly string[]> = [];
		const {lastFrame, unmount} = render(<App source={live} interactive draw={lines => frames.push(lines)}/>);
		await tick();
		expect(lastFrame()).toBe('');
		expect(frames).toHaveLength(1);
		// ink-testing-library's terminal is 100 columns; the frame is the full width, one row short of the height.
		expect(frames[0]!.every(line => line.length === 100)).toBe(true);
		publish({samples: 61});
		await tick();
		expect(frames).toHaveLength(2);
		expect(frames[1]![0]).toContain('61 samples');
		unmount();
	});

	test('z switches the chart to the recent window, ? shows help until a key', async () => {
		const {live, zooms} = source();
		const {stdin, lastFrame, unmount} = render(<App source={live} interactive/>);
		await tick();
		stdin.write('z');
		await until(() => lastFrame()!.includes('zoom (recent)'));
		expect(zooms.at(-1)).toBe('recent');
		expect(lastFrame()).toContain('zoom (recent)');
		stdin.write('?');
		await until(() => lastFrame()!.includes('memmon: keys'));
		expect(lastFrame()).toContain('memmon: keys');
		stdin.write('x');
		await until(() => !lastFrame()!.includes('memmon: keys'));
		expect(lastFrame()).not.toContain('memmon: keys');
		unmount();
	});
});
