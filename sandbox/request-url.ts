export function pathOf(url: string): string {
	const queryStart = url.indexOf('?');
	return queryStart === -1 ? url : url.slice(0, queryStart);
}

/** A repeated name keeps its last value. */
export function queryOf(url: string): Record<string, string> {
	const queryStart = url.indexOf('?');
	if (queryStart === -1) return {};
	return Object.fromEntries(new URLSearchParams(url.slice(queryStart + 1)));
}
