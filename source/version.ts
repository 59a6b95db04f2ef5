/** memmon's version, from package.json. */
import fs from 'node:fs';

let cached: {version?: unknown; description?: unknown} | undefined;

function packageJson(): {version?: unknown; description?: unknown} {
	if (cached === undefined) {
		try {
			cached = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {version?: unknown; description?: unknown};
		} catch {
			cached = {};
		}
	}

	return cached;
}

/** The version string of this memmon. */
export function version(): string {
	return String(packageJson().version ?? '0.0.0');
}

/** The one-line description of package.json (the first line of `--help`). */
export function description(): string {
	return String(packageJson().description ?? '');
}
