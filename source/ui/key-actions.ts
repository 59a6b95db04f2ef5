/**
What a key does on the live screen: q, r, m and a label, p, z, ?, Ctrl+L, Ctrl+C. Pure but for the
source's actions: the view state changes here, the frame is drawn by the caller.
*/
import type {Key} from 'ink';
import type {Snapshot} from '../snapshot.js';
import type {ChartWindow, Zoom} from './chart-window.js';

/** A frame as shown: the snapshot and its chart. */
export type Frame = {snapshot: Snapshot; chart: ChartWindow};

/** What the keys change. */
export type ViewState = {
	zoom: Zoom;
	paused: boolean;
	help: boolean;
	/** While typing a mark's label: the text so far. */
	marking: string | undefined;
	/** The frame shown while paused. */
	frozen: Frame | undefined;
	marks: number;
};

/** The actions keys take on a run. */
export type KeyActions = {
	quit(): void;
	interrupt(): void;
	writeReport(): void;
	mark(label: string): void;
	redraw?(): void;
	/** `h`: a heap snapshot now, where the run takes them. */
	heapSnapshot?(): void;
};

/** Apply one key (or a pasted string); true when the screen should be drawn again. */
export function applyKey(view: ViewState, source: KeyActions, input: string, key: Pick<Key, 'ctrl' | 'meta' | 'return' | 'escape' | 'backspace' | 'delete'>): boolean {
	if (key.ctrl && input === 'c') {
		source.interrupt();
		return false;
	}

	if (key.ctrl && input === 'l') {
		source.redraw?.();
	} else if (key.ctrl) {
		// Another Ctrl+key is not its letter: Ctrl+Z toggled the zoom (in raw mode the terminal sends
		// no stop signal; memmon keeps sampling), Ctrl+Q would have quit.
		return false;
	} else if (view.help) {
		view.help = false;
	} else if (view.marking === undefined) {
		switch (input) {
			case 'q': {
				source.quit();
				return false;
			}

			case 'r': {
				source.writeReport();
				return false;
			}

			case 'h': {
				source.heapSnapshot?.();
				return false;
			}

			case 'm': {
				view.marking = '';
				break;
			}

			case 'p': {
				view.paused = !view.paused;
				break;
			}

			case 'z': {
				view.zoom = view.zoom === 'all' ? 'recent' : 'all';
				break;
			}

			case '?': {
				view.help = true;
				break;
			}

			default: {
				return false;
			}
		}
	} else if (key.return) {
		source.mark(view.marking.trim() || `mark ${++view.marks}`);
		view.marking = undefined;
	} else if (key.escape) {
		view.marking = undefined;
	} else if (key.backspace || key.delete) {
		view.marking = view.marking.slice(0, -1);
	} else if (input && !key.ctrl && !key.meta) {
		// Typed a key at a time, or pasted as one string with its Enter inside: each character
		// on its own, control characters never into the label (a \r in it broke the screen).
		let label: string | undefined = view.marking;
		for (const char of input) {
			if (char === '\r' || char === '\n') {
				source.mark(label.trim() || `mark ${++view.marks}`);
				label = undefined;
				break;
			}

			if (char === '\u007F' || char === '\b') {
				label = label.slice(0, -1);
			} else if (char >= ' ') {
				label = (label + char).slice(0, 40);
			}
		}

		view.marking = label;
	}

	return true;
}
