/**
The one stateful component: it follows the terminal size, shows each new snapshot (at most once
per sample), and turns keys into actions. It never samples and never computes statistics.
*/
import {useInput, useStdout} from 'ink';
import React, {useEffect, useRef, useState} from 'react';
import type {ChartWindow, Zoom} from './chart-window.js';
import type {Snapshot} from '../snapshot.js';
import {chartColumns} from './chart.js';
import {Dashboard, dashboardLines, type DashboardProps} from './dashboard.js';
import {applyKey, type Frame, type ViewState} from './key-actions.js';

/** What the view needs from a run. */
export type LiveSource = {
	/** Call `listener` whenever there is something new to show; returns the unsubscribe. */
	subscribe(listener: () => void): () => void;
	snapshot(): Snapshot;
	chart(columns: number, zoom: Zoom): ChartWindow;
	/** `q`: stop, write the final report, exit. */
	quit(): void;
	/** Ctrl+C. */
	interrupt(): void;
	/** `r`: write the report now. */
	writeReport(): void;
	/** `m` then a label and Enter: mark the run (a new phase). */
	mark(label: string): void;
	/** `h`: a heap snapshot now (`--heap-snapshots`). */
	heapSnapshot?(): void;
	/** Ctrl+L: clear the terminal and draw the whole screen again. */
	redraw?(): void;
};

/** Props of the app. */
export type AppProps = {
	readonly source: LiveSource;
	/** Keys work only with a raw-mode stdin. */
	readonly interactive: boolean;
	/**
	Draw the lines outside Ink (a FrameWriter on the terminal: only changed rows are written);
	Ink then renders nothing. Without it the lines go through Ink, as in the view tests.
	*/
	readonly draw?: ((lines: readonly string[], width: number) => void) | undefined;
};

/**
The live screen of a run. With `draw`, a new sample, a key or a resize draws the frame at once,
outside React: React renders this component once, and Ink is left the keys. Without it (the view
tests) each change re-renders the Dashboard through Ink.
*/
export function App({source, interactive, draw}: AppProps): React.JSX.Element | null {
	const {stdout} = useStdout();
	const view = useRef<ViewState>({zoom: 'all', paused: false, help: false, marking: undefined, frozen: undefined, marks: 0}).current;
	const [, setVersion] = useState(0);

	const frameProps = (): DashboardProps => {
		const width = Math.max(1, stdout.columns || 80);
		const height = Math.max(1, (stdout.rows || 24) - 1);
		let frame: Frame;
		if (view.paused && view.frozen) {
			frame = view.frozen;
		} else {
			frame = {snapshot: source.snapshot(), chart: source.chart(chartColumns(width), view.zoom)};
			view.frozen = frame;
		}

		const prompt = view.marking === undefined ? undefined : `mark label: ${view.marking}▏ (Enter marks, Esc cancels)`;
		return {snapshot: frame.snapshot, chart: frame.chart, width, height, zoom: view.zoom, paused: view.paused, help: view.help, prompt};
	};

	/** Show what changed. A ref: the subscription made at mount calls the latest one. */
	const update = useRef<() => void>(() => {});
	update.current = () => {
		if (draw) {
			const props = frameProps();
			draw(dashboardLines(props), props.width);
		} else {
			setVersion(version => version + 1);
		}
	};

	useEffect(() => {
		const onChange = (): void => {
			update.current();
		};

		stdout.on('resize', onChange);
		const unsubscribe = source.subscribe(onChange);
		if (draw) {
			onChange();
		}

		return () => {
			stdout.off('resize', onChange);
			unsubscribe();
		};
	}, [source, stdout, draw]);

	useInput((input, key) => {
		if (applyKey(view, source, input, key)) {
			update.current();
		}
	}, {isActive: interactive});

	return draw ? null : <Dashboard {...frameProps()}/>;
}
