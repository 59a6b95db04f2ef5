/**
Fixed-size text that does not grow Ink's caches.

Ink 6 caches every text it measures (measure-text.js) and wraps (wrap-text.js) in module-level
maps that never evict (ink issue 986, fixed in ink 8 with an LRU): a live chart adds a few KB per
frame, hundreds of MB a day. Here Ink measures only a placeholder of spaces — one string per
(width, height), the same every frame — and the real lines go in through <Transform> at output
time, which Ink does not cache across frames. Every line must already be exactly `width`
columns wide.
*/
import {Transform} from 'ink';
import React, {useCallback, useMemo} from 'react';

/** Props of {@link Lines}. */
export type LinesProps = {
	readonly lines: readonly string[];
	readonly width: number;
};

const placeholders = new Map<string, string>();

function placeholder(width: number, height: number): string {
	const key = `${width}x${height}`;
	let text = placeholders.get(key);
	if (text === undefined) {
		text = Array.from({length: height}, () => ' '.repeat(width)).join('\n');
		if (placeholders.size > 64) {
			placeholders.clear();
		}

		placeholders.set(key, text);
	}

	return text;
}

/** Render `lines`, each exactly `width` columns. */
export function Lines({lines, width}: LinesProps): React.JSX.Element | null {
	const text = useMemo(() => placeholder(width, lines.length), [width, lines.length]);
	// Trailing blanks cost Ink a styled-char object each and show nothing: they are dropped here
	// (the placeholder already gives the layout its width).
	const transform = useCallback((_line: string, index: number) => (lines[index] ?? '').trimEnd(), [lines]);
	if (lines.length === 0 || width <= 0) {
		return null;
	}

	return <Transform transform={transform}>{text}</Transform>;
}
