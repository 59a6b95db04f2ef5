import {expect, test} from 'vitest';
import {applyKey, type ViewState} from '../../source/ui/key-actions.js';

const none = {ctrl: false, meta: false, return: false, escape: false, backspace: false, delete: false};

function setup() {
	const calls: string[] = [];
	const view: ViewState = {zoom: 'all', paused: false, help: false, marking: undefined, frozen: undefined, marks: 0};
	const source = {
		quit: () => calls.push('quit'),
		interrupt: () => calls.push('interrupt'),
		writeReport: () => calls.push('report'),
		mark: (label: string) => calls.push(`mark ${label}`),
		heapSnapshot: () => calls.push('heap'),
	};
	return {calls, view, key: (input: string, extra: Partial<typeof none> = {}) => applyKey(view, source, input, {...none, ...extra})};
}

test('q and r act without a redraw; z, p and ? change the view and redraw; other keys do nothing', () => {
	const {calls, view, key} = setup();
	expect(key('q')).toBe(false);
	expect(key('r')).toBe(false);
	expect(key('h')).toBe(false);
	expect(key('x')).toBe(false);
	expect(key('z')).toBe(true);
	expect(key('p')).toBe(true);
	expect(view).toMatchObject({zoom: 'recent', paused: true});
	expect(key('?')).toBe(true);
	expect(view.help).toBe(true);
	// Any key closes the help, and does nothing else.
	expect(key('q')).toBe(true);
	expect(view.help).toBe(false);
	expect(calls).toEqual(['quit', 'report', 'heap']);
});

test('a Ctrl+key is not its letter: Ctrl+Z, Ctrl+Q, Ctrl+R do nothing; Ctrl+C interrupts', () => {
	const {calls, view, key} = setup();
	expect(key('z', {ctrl: true})).toBe(false);
	expect(key('q', {ctrl: true})).toBe(false);
	expect(key('r', {ctrl: true})).toBe(false);
	expect(view.zoom).toBe('all');
	key('c', {ctrl: true});
	expect(calls).toEqual(['interrupt']);
});

test('m, a label a key at a time with backspace, Enter; a paste with its Enter inside; Esc cancels; an empty label is numbered', () => {
	const {calls, view, key} = setup();
	key('m');
	for (const char of 'soakx') {
		key(char);
	}

	key('', {backspace: true});
	key('', {return: true});
	key('m');
	key('after load\rq');
	expect(view.marking).toBeUndefined();
	key('m');
	key('gone');
	key('', {escape: true});
	key('m');
	key('', {return: true});
	key('c', {ctrl: true});
	expect(calls).toEqual(['mark soak', 'mark after load', 'mark mark 1', 'interrupt']);
});
