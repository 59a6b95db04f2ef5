/** Fitting text into terminal columns. */
import cliTruncate from 'cli-truncate';
import stringWidth from 'string-width';

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

/**
Cut one-column-per-character text (see `narrow`) to `width` columns ending in `…`, keeping its
colour codes; a reset closes any colour left open. cli-truncate's result, at a fraction of its
cost (it measures every slice with string-width): the gauge's note line is cut every frame.
*/
function truncateNarrow(text: string, width: number): string {
	if (width <= 0) {
		return '';
	}

	let out = '';
	let shown = 0;
	let styled = false;
	for (let i = 0; i < text.length && shown < width - 1;) {
		if (text.charCodeAt(i) === 0x1B) {
			const end = text.indexOf('m', i);
			out += text.slice(i, end + 1);
			styled = true;
			i = end + 1;
		} else {
			out += text[i];
			shown++;
			i++;
		}
	}

	return `${out}…${styled ? '\u001B[0m' : ''}`;
}

function truncate(text: string, width: number): string {
	const plain = text.includes('\u001B') ? text.replaceAll(ansi, '') : text;
	return narrow.test(plain) ? truncateNarrow(text, width) : cliTruncate(text, width, {position: 'end'});
}

/** Pad or cut `text` (which may hold colour codes) to exactly `width` columns. */
export function fit(text: string, width: number): string {
	if (width <= 0) {
		return '';
	}

	const visible = columns(text);
	if (visible > width) {
		return truncate(text, width);
	}

	return text + ' '.repeat(width - visible);
}

/**
`parts` joined by `separator` after `head`, padded to `width`: each part whole or not at all (a part
given as variants, longest first, in the first that fits), and none after the first that does not:
they come in the order they matter. The first part is cut if it must: "F…" or "+141 MiB…" at a
line's end said less than leaving the part out.
*/
export function fitParts(head: string, parts: ReadonlyArray<string | readonly string[]>, separator: string, width: number): string {
	let line = head;
	let said = false;
	for (const part of parts) {
		const variants = typeof part === 'string' ? [part] : part;
		if (variants.length === 0) {
			continue;
		}

		const joined = variants.map(variant => `${line}${said ? separator : ''}${variant}`);
		const fits = joined.find(candidate => columns(candidate) <= width);
		if (fits === undefined && said) {
			break;
		}

		line = fits ?? joined[0]!;
		said = true;
	}

	return fit(line, width);
}

/** Cut `text` to at most `width` columns without padding. */
export function cut(text: string, width: number): string {
	return columns(text) > width ? truncate(text, Math.max(0, width)) : text;
}

export {sanitizeLine} from './sanitize.js';

/** `left` and `right` on one line of `width`, right-aligned; `left` is cut first. */
export function spread(left: string, right: string, width: number): string {
	const rightWidth = columns(right);
	if (rightWidth >= width) {
		return fit(right, width);
	}

	return fit(left, width - rightWidth - 1) + ' ' + right;
}
