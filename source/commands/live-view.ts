/**
The live screen of a run: Ink and React, loaded only when used (plain mode never loads them),
drawing the session's snapshots through the frame writer and turning keys into the session's
actions.
*/
import type {Session} from '../session.js';
import type {LiveSource} from '../ui/app.js';

/** Start the live screen on the terminal; `unmount` restores the terminal, `waitUntilExit` resolves after. */
export async function startLiveView(session: Session, stopBy: (by: string) => () => void): Promise<{unmount: () => void; waitUntilExit: Promise<unknown>}> {
	const [{render}, React, {App}, {FrameWriter}] = await Promise.all([import('ink'), import('react'), import('../ui/app.js'), import('../ui/frame-writer.js')]);
	const writer = new FrameWriter(process.stdout);
	const source: LiveSource = {
		subscribe: listener => session.subscribe(listener),
		snapshot: () => session.snapshot(),
		chart: (columns, zoom) => session.chart(columns, zoom),
		quit: stopBy('q'),
		interrupt: stopBy('SIGINT'),
		mark(label) {
			session.mark(label);
		},
		heapSnapshot() {
			session.heapSnapshot?.();
		},
		writeReport() {
			session.writePartial();
			session.publish();
		},
		redraw() {
			writer.invalidate();
		},
	};
	const instance = render(React.createElement(App, {
		source,
		interactive: Boolean(process.stdin.isTTY),
		draw(lines: readonly string[], width: number) {
			writer.draw(lines, width);
		},
	}), {
		exitOnCtrlC: false,
		patchConsole: false,
	});
	return {
		unmount() {
			writer.finish();
			instance.unmount();
		},
		waitUntilExit: instance.waitUntilExit(),
	};
}
