/** The live screen's writer: whole rows, only the changed ones, nothing when nothing is new. */
import {describe, expect, test} from 'vitest';
import {FrameWriter} from '../../source/ui/frame-writer.js';

function terminal() {
	const writes: string[] = [];
	return {writes, stream: {write: (text: string) => writes.push(text)}};
}

const esc = '\u001B[';

describe('FrameWriter', () => {
	test('the first frame scrolls the terminal\'s lines away and draws every row from the top', () => {
		const {writes, stream} = terminal();
		new FrameWriter(stream).draw(['aaa', 'bbb', 'ccc'], 3);
		expect(writes).toEqual([`\n\n\n${esc}H${esc}1;1Haaa${esc}2;1Hbbb${esc}3;1Hccc`]);
	});

	test('then only the rows that changed; an unchanged frame writes nothing at all', () => {
		const {writes, stream} = terminal();
		const writer = new FrameWriter(stream);
		writer.draw(['aaa', 'bbb', 'ccc'], 3);
		writer.draw(['aaa', 'bbb', 'ccc'], 3);
		expect(writes).toHaveLength(1);
		writer.draw(['aaa', 'bXb', 'ccc'], 3);
		expect(writes[1]).toBe(`${esc}2;1HbXb`);
	});

	test('a new size (resize) clears the screen and draws every row', () => {
		const {writes, stream} = terminal();
		const writer = new FrameWriter(stream);
		writer.draw(['aaa', 'bbb'], 3);
		writer.draw(['aaaa', 'bbbb'], 4);
		expect(writes[1]).toBe(`${esc}H${esc}2J${esc}1;1Haaaa${esc}2;1Hbbbb`);
		writer.draw(['aaaa', 'bbbb', 'cccc'], 4);
		expect(writes[2]).toBe(`${esc}H${esc}2J${esc}1;1Haaaa${esc}2;1Hbbbb${esc}3;1Hcccc`);
	});

	test('Ctrl+L (invalidate) clears and draws every row once; every Nth frame repaints every row', () => {
		const {writes, stream} = terminal();
		const writer = new FrameWriter(stream, {repaintEvery: 3});
		writer.draw(['aaa', 'bbb'], 3);
		writer.invalidate();
		writer.draw(['aaa', 'bbb'], 3);
		expect(writes[1]).toBe(`${esc}H${esc}2J${esc}1;1Haaa${esc}2;1Hbbb`);
		writer.draw(['aaa', 'bbb'], 3);
		writer.draw(['aXa', 'bbb'], 3);
		expect(writes).toHaveLength(3);
		expect(writes[2]).toBe(`${esc}1;1HaXa`);
		// The third frame after the last full one: every row again, without clearing.
		writer.draw(['aXa', 'bbb'], 3);
		expect(writes[3]).toBe(`${esc}1;1HaXa${esc}2;1Hbbb`);
	});

	test('finish puts the cursor on the line below the frame, once', () => {
		const {writes, stream} = terminal();
		const writer = new FrameWriter(stream);
		writer.finish();
		expect(writes).toEqual([]);
		writer.draw(['aaa', 'bbb'], 3);
		writer.finish();
		writer.finish();
		expect(writes.at(-1)).toBe(`${esc}3;1H`);
		expect(writes).toHaveLength(2);
	});
});
