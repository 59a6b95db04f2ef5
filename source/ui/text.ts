/** Fitting text into terminal columns. */
import cliTruncate from 'cli-truncate';
import stringWidth from 'string-width';
import stripAnsi from 'strip-ansi';

// eslint-disable-next-line no-control-regex
const ansi = /\u001B\[[\d;]*m/g;
// Printable ASCII, Latin-1, Greek, general punctuation, arrows, maths, box drawing, shapes: one column each.
const narrow = /^[\u0020-\u007E\u00A0-\u036F\u0370-\u03FF\u2000-\u206F\u2190-\u23FF\u2500-\u25FF]*$/;

/**
Columns `text` takes on screen. The screen's own text (ASCII, box drawing, ·, …, Δ, ●) takes the
fast path; anything else (a workload's CJK or emoji) goes to string-width, which segments
graphemes and costs ~50× more.
*/
export function columns(text: string): number {
	const plain = text.includes('\u001B') ? text.replaceAll(ansi, '') : text;
	return narrow.test(plain) ? plain.length : stringWidth(text);
}

/** Pad or cut `text` (which may hold colour codes) to exactly `width` columns. */
export function fit(text: string, width: number): string {
	if (width <= 0) {
		return '';
	}

	const visible = columns(text);
	if (visible > width) {
		return cliTruncate(text, width, {position: 'end'});
	}

	return text + ' '.repeat(width - visible);
}

/** Cut `text` to at most `width` columns without padding. */
export function cut(text: string, width: number): string {
	return columns(text) > width ? cliTruncate(text, Math.max(0, width), {position: 'end'}) : text;
}

/** Text from a workload made safe for one screen line: no colour codes, no control characters. */
export function sanitizeLine(text: string): string {
	// eslint-disable-next-line no-control-regex
	return stripAnsi(text).replaceAll('\t', '  ').replaceAll(/[\u0000-\u001F\u007F]/g, '');
}

/** `left` and `right` on one line of `width`, right-aligned; `left` is cut first. */
export function spread(left: string, right: string, width: number): string {
	const rightWidth = columns(right);
	if (rightWidth >= width) {
		return fit(right, width);
	}

	return fit(left, width - rightWidth - 1) + ' ' + right;
}
