/**
Parse and format sizes, rates and durations.

Sizes are binary: memmon reads `MB` and `MiB` alike as 1,048,576 bytes (as `ps`, `free -m` and
`top` do), and always prints the `KiB`/`MiB`/`GiB` spelling so the output says what it means.
JSON and CSV carry plain bytes and seconds.
*/

/** One kibibyte. */
export const KIB = 1024;
/** One mebibyte. */
export const MIB = 1024 * 1024;
/** One gibibyte. */
export const GIB = 1024 * 1024 * 1024;

const sizeUnits: Readonly<Record<string, number>> = {
	'': 1,
	b: 1,
	k: KIB,
	kb: KIB,
	kib: KIB,
	m: MIB,
	mb: MIB,
	mib: MIB,
	g: GIB,
	gb: GIB,
	gib: GIB,
	t: GIB * 1024,
	tb: GIB * 1024,
	tib: GIB * 1024,
};

const durationUnits: Readonly<Record<string, number>> = {
	ms: 1,
	s: 1000,
	sec: 1000,
	m: 60_000,
	min: 60_000,
	h: 3_600_000,
	hour: 3_600_000,
	d: 86_400_000,
	day: 86_400_000,
};

/**
Parse a size such as `50MB`, `1.5 GiB`, `512k` or `1048576` into bytes.
Returns `undefined` when the text is not a size.

@example parseSize('50MB') // 52428800
*/
export function parseSize(text: string): number | undefined {
	const match = /^\s*(-?\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
	if (!match) {
		return undefined;
	}

	const factor = sizeUnits[match[2]!.toLowerCase()];
	if (factor === undefined) {
		return undefined;
	}

	return Number(match[1]) * factor;
}

/**
Parse a duration such as `500ms`, `5s`, `10m`, `24h` or `1h30m` into milliseconds.
A bare number is seconds. Returns `undefined` when the text is not a duration.

@example parseDuration('1h30m') // 5400000
*/
export function parseDuration(text: string): number | undefined {
	const trimmed = text.trim();
	if (/^-?\d+(?:\.\d+)?$/.test(trimmed)) {
		return Number(trimmed) * 1000;
	}

	const negative = trimmed.startsWith('-');
	const body = negative ? trimmed.slice(1) : trimmed;
	const part = /(\d+(?:\.\d+)?)\s*([a-z]+)/gy;
	let total = 0;
	let consumed = 0;
	let previous = Number.POSITIVE_INFINITY;
	for (const match of body.matchAll(part)) {
		const factor = durationUnits[match[2]!.toLowerCase()];
		// Each unit once, largest first: `1h30m`, not `1m1m` or `30m1h`.
		if (factor === undefined || factor >= previous) {
			return undefined;
		}

		previous = factor;
		total += Number(match[1]) * factor;
		consumed = match.index + match[0].length;
	}

	if (consumed === 0 || consumed !== body.length) {
		return undefined;
	}

	return negative ? -total : total;
}

/**
Parse a growth rate such as `1MB/h`, `500KiB/h`, `2 MiB/hour` or a bare `1` (MiB/h) into
bytes per hour. Returns `undefined` when the text is not a rate.
*/
export function parseRate(text: string): number | undefined {
	const match = /^\s*([^/]+?)\s*(?:\/\s*(h|hr|hour|m|min|s|sec|d|day))?\s*$/i.exec(text);
	if (!match) {
		return undefined;
	}

	const amount = /^-?\d+(?:\.\d+)?$/.test(match[1]!) ? Number(match[1]) * MIB : parseSize(match[1]!);
	if (amount === undefined) {
		return undefined;
	}

	const per = (match[2] ?? 'h').toLowerCase();
	const perHour: Record<string, number> = {h: 1, hr: 1, hour: 1, m: 60, min: 60, s: 3600, sec: 3600, d: 1 / 24, day: 1 / 24};
	return amount * perHour[per]!;
}

/**
Format bytes with a binary unit and a precision that keeps three to four significant digits.

@example formatBytes(52428800) // '50.0 MiB'
*/
export function formatBytes(bytes: number | undefined): string {
	if (bytes === undefined || !Number.isFinite(bytes)) {
		return '—';
	}

	const abs = Math.abs(bytes);
	if (abs < KIB) {
		return `${Math.round(bytes)} B`;
	}

	if (abs < MIB) {
		return `${(bytes / KIB).toFixed(abs < 10 * KIB ? 1 : 0)} KiB`;
	}

	if (abs < GIB) {
		return `${(bytes / MIB).toFixed(abs < 100 * MIB ? 1 : 0)} MiB`;
	}

	return `${(bytes / GIB).toFixed(2)} GiB`;
}

/** Format a signed change in bytes: `+1.2 MiB`, `−300 KiB`, `0 B`. */
export function formatDelta(bytes: number | undefined): string {
	if (bytes === undefined || !Number.isFinite(bytes)) {
		return '—';
	}

	if (bytes === 0) {
		return '±0 B';
	}

	const text = formatBytes(Math.abs(bytes));
	return bytes > 0 ? `+${text}` : `−${text}`;
}

/**
Format a rate in bytes per hour as MiB/h with a sign, e.g. `+0.42 MiB/h` (GiB/h from 1 GiB/h).
*/
export function formatRate(bytesPerHour: number | undefined): string {
	if (bytesPerHour === undefined || !Number.isFinite(bytesPerHour)) {
		return '—';
	}

	// MiB/h, the unit of the bands; a runaway's rate from 1 GiB/h on in GiB/h (not "+39102 MiB/h").
	const giga = Math.abs(bytesPerHour) >= 1024 * MIB;
	const value = bytesPerHour / (giga ? 1024 * MIB : MIB);
	const unit = giga ? 'GiB/h' : 'MiB/h';
	const abs = Math.abs(value);
	const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
	const text = abs.toFixed(digits);
	if (Number(text) === 0) {
		return `${text} ${unit}`;
	}

	return `${value > 0 ? '+' : '−'}${text} ${unit}`;
}

/**
Rate bounds as `low … high`, the unit said once when both share it (`+2.10 … +4.30 MiB/h`), at
each end when they do not (`−260 MiB/h … +1.26 GiB/h`, not a low bound that reads as GiB/h).
*/
export function formatRateRange(low: number | undefined, high: number | undefined): string {
	// A bound that ran off every slope the data have (a curve, not yet a line) is said as one:
	// the other side alone, or none.
	const lowKnown = low !== undefined && Number.isFinite(low);
	const highKnown = high !== undefined && Number.isFinite(high);
	if (!lowKnown || !highKnown) {
		return lowKnown ? `above ${formatRate(low)}` : highKnown ? `below ${formatRate(high)}` : 'not yet bounded: the rise is still curving';
	}

	return sharingUnit(formatRate(low), formatRate(high), ' … ');
}

/** A change in bytes as `first → last`, the unit said once when both share it (`8.3 → 24.4 MiB`). */
export function formatBytesChange(first: number, last: number): string {
	return sharingUnit(formatBytes(first), formatBytes(last), ' → ');
}

/** Two amounts joined by `separator`, the first's unit left out when it is the second's. */
function sharingUnit(firstText: string, lastText: string, separator: string): string {
	const unit = / \S+$/.exec(lastText)?.[0];
	return `${unit && firstText.endsWith(unit) ? firstText.slice(0, -unit.length) : firstText}${separator}${lastText}`;
}

/** A wait in whole minutes, rounded up ("about N min more"), or down for a floor ("at least N min more"): "1 min", "19 min", "1h 05m". */
export function formatMinutes(seconds: number, floor = false): string {
	const minutes = Math.max(1, floor ? Math.floor(seconds / 60) : Math.ceil(seconds / 60));
	return minutes < 60 ? `${minutes} min` : formatDuration(minutes * 60_000);
}

/**
Format milliseconds as a short human duration: `450ms`, `42s`, `5m 03s`, `2h 05m`, `3d 04h`.
*/
export function formatDuration(ms: number | undefined): string {
	if (ms === undefined || !Number.isFinite(ms)) {
		return '—';
	}

	if (ms < 0) {
		return `−${formatDuration(-ms)}`;
	}

	if (Math.round(ms) === 0) {
		return '0s';
	}

	if (ms < 1000) {
		return `${Math.round(ms)}ms`;
	}

	if (ms < 9950) {
		// Tenths only when they say something: 2999.97 ms and 3000 ms both read "3s", so
		// durations measured a hair apart look the same in one table.
		const tenths = Math.round(ms / 100);
		return tenths % 10 === 0 ? `${tenths / 10}s` : `${(tenths / 10).toFixed(1)}s`;
	}

	const totalSeconds = Math.floor(ms / 1000);
	if (totalSeconds < 60) {
		return `${totalSeconds}s`;
	}

	const seconds = totalSeconds % 60;
	const totalMinutes = Math.floor(totalSeconds / 60);
	if (totalMinutes < 60) {
		return `${totalMinutes}m ${String(seconds).padStart(2, '0')}s`;
	}

	const minutes = totalMinutes % 60;
	const totalHours = Math.floor(totalMinutes / 60);
	if (totalHours < 24) {
		return `${totalHours}h ${String(minutes).padStart(2, '0')}m`;
	}

	return `${Math.floor(totalHours / 24)}d ${String(totalHours % 24).padStart(2, '0')}h`;
}

/** "1 sample", "2 samples": a count with its noun. */
export function count(n: number, noun: string): string {
	return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
