/**
The live screen of a run: Ink and React, loaded only when used (plain mode never loads them),
drawing the session's snapshots through the frame writer and turning keys into the session's
actions.
*/
import type {Session} from '../session.js';
import type {LiveSource} from '../ui/app.js';

/** A live screen, started on the terminal; `unmount` restores the terminal, `waitUntilExit` resolves after. */
export type LiveView = {readonly unmount: () => void; readonly waitUntilExit: Promise<unknown>};

/**
Load the live screen's modules (Ink and React: about half a second of an idle core's time), and
give what starts it. A run loads them before it starts its command: loaded after, between the
command's start and memmon's first read, they kept memmon from reading a Node test until it had
loaded and leaked 12–20 MiB, at 20 MiB a second, all of it then left out of its growth.
*/
export async function loadLiveView(): Promise<(session: Session, stopBy: (by: string) => () => void) => LiveView> {
	const [{render}, React, {App}, {FrameWriter}] = await Promise.all([import('ink'), import('react'), import('../ui/app.js'), import('../ui/frame-writer.js')]);
	return (session, stopBy) => {
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
	};
}
