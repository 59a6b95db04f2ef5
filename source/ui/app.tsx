/**
The one stateful component: it follows the terminal size, re-renders when the run publishes a new
snapshot (at most once per sample), and turns keys into actions. It never samples and never
computes statistics.
*/
import {useInput, useStdout} from 'ink';
import React, {useEffect, useLayoutEffect, useRef, useState} from 'react';
import type {ChartWindow, Zoom} from '../series.js';
import type {Snapshot} from '../snapshot.js';
import {chartColumns} from './chart.js';
import {Dashboard, dashboardLines} from './dashboard.js';

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

type Frame = {snapshot: Snapshot; chart: ChartWindow};

/** The live screen of a run. */
export function App({source, interactive, draw}: AppProps): React.JSX.Element | null {
	const {stdout} = useStdout();
	const [size, setSize] = useState({columns: stdout.columns || 80, rows: stdout.rows || 24});
	const [, setVersion] = useState(0);
	const [zoom, setZoom] = useState<Zoom>('all');
	const [paused, setPaused] = useState(false);
	const [help, setHelp] = useState(false);
	/**
	While typing a mark's label: the text so far. A ref, updated at once, is the truth — a key
	typed before React re-renders must still land in the label — and state redraws the prompt.
	*/
	const marking = useRef<string | undefined>(undefined);
	const [, setPrompt] = useState<string | undefined>(undefined);
	const setMarking = (value: string | undefined): void => {
		marking.current = value;
		setPrompt(value);
	};

	const marks = useRef(0);
	const frozen = useRef<Frame | undefined>(undefined);

	useEffect(() => {
		const onResize = (): void => {
			setSize({columns: stdout.columns || 80, rows: stdout.rows || 24});
		};

		stdout.on('resize', onResize);
		return () => {
			stdout.off('resize', onResize);
		};
	}, [stdout]);

	useEffect(() => source.subscribe(() => {
		setVersion(version => version + 1);
	}), [source]);

	useInput((input, key) => {
		if (key.ctrl && input === 'c') {
			source.interrupt();
			return;
		}

		if (key.ctrl && input === 'l') {
			source.redraw?.();
			setVersion(version => version + 1);
			return;
		}

		if (help) {
			setHelp(false);
			return;
		}

		const label = marking.current;
		if (label !== undefined) {
			if (key.return) {
				source.mark(label.trim() || `mark ${++marks.current}`);
				setMarking(undefined);
			} else if (key.escape) {
				setMarking(undefined);
			} else if (key.backspace || key.delete) {
				setMarking(label.slice(0, -1));
			} else if (input && !key.ctrl && !key.meta) {
				setMarking((label + input).slice(0, 40));
			}

			return;
		}

		switch (input) {
			case 'q': {
				source.quit();
				break;
			}

			case 'r': {
				source.writeReport();
				break;
			}

			case 'm': {
				setMarking('');
				break;
			}

			case 'p': {
				setPaused(value => !value);
				break;
			}

			case 'z': {
				setZoom(value => value === 'all' ? 'recent' : 'all');
				break;
			}

			case '?': {
				setHelp(true);
				break;
			}

			default:
		}
	}, {isActive: interactive});

	const width = Math.max(20, size.columns);
	const height = Math.max(3, size.rows - 1);
	let frame: Frame;
	if (paused && frozen.current) {
		frame = frozen.current;
	} else {
		frame = {snapshot: source.snapshot(), chart: source.chart(chartColumns(width), zoom)};
		frozen.current = frame;
	}

	const prompt = marking.current === undefined ? undefined : `mark label: ${marking.current}▏ (Enter marks, Esc cancels)`;
	const props = {snapshot: frame.snapshot, chart: frame.chart, width, height, zoom, paused, help, prompt};
	const lines = draw ? dashboardLines(props) : undefined;
	useLayoutEffect(() => {
		if (draw && lines) {
			draw(lines, width);
		}
	});
	if (draw) {
		return null;
	}

	return <Dashboard snapshot={frame.snapshot} chart={frame.chart} width={width} height={height} zoom={zoom} paused={paused} help={help} prompt={prompt}/>;
}
