/** Fitting text into terminal columns. */
import cliTruncate from 'cli-truncate';
import stringWidth from 'string-width';
import stripAnsi from 'strip-ansi';

/** Pad or cut `text` (which may hold colour codes) to exactly `width` columns. */
export function fit(text: string, width: number): string {
	if (width <= 0) {
		return '';
	}

	const visible = stringWidth(text);
	if (visible > width) {
		return cliTruncate(text, width, {position: 'end'});
	}

	return text + ' '.repeat(width - visible);
}

/** Cut `text` to at most `width` columns without padding. */
export function cut(text: string, width: number): string {
	return stringWidth(text) > width ? cliTruncate(text, Math.max(0, width), {position: 'end'}) : text;
}

/** Text from a workload made safe for one screen line: no colour codes, no control characters. */
export function sanitizeLine(text: string): string {
	// eslint-disable-next-line no-control-regex
	return stripAnsi(text).replaceAll('\t', '  ').replaceAll(/[\u0000-\u001F\u007F]/g, '');
}

/** `left` and `right` on one line of `width`, right-aligned; `left` is cut first. */
export function spread(left: string, right: string, width: number): string {
	const rightWidth = stringWidth(right);
	if (rightWidth >= width) {
		return fit(right, width);
	}

	return fit(left, width - rightWidth - 1) + ' ' + right;
}
