const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function calendarDate(year: number, month: number, day: number): string | undefined {
	const date = new Date(Date.UTC(year, month - 1, day));
	if (
		year < 1900 ||
		year > 2999 ||
		date.getUTCFullYear() !== year ||
		date.getUTCMonth() !== month - 1 ||
		date.getUTCDate() !== day
	) {
		return undefined;
	}
	return date.toISOString().slice(0, 10);
}

export type DateResult = { ok: true; date: string } | { ok: false; problem: string };

/**
 * Reads the calendar date a user meant, from the date picker, an expression's DateTime or Date,
 * or text in the common written forms. A day and month that could be either way round
 * (03/04/2026) are refused rather than guessed.
 */
export function parseCalendarDate(raw: unknown): DateResult {
	if (raw instanceof Date) {
		return isNaN(raw.getTime())
			? { ok: false, problem: 'is not a date' }
			: { ok: true, date: raw.toISOString().slice(0, 10) };
	}
	if (typeof raw === 'object' && raw !== null && 'toISODate' in raw) {
		const date = (raw as { toISODate: () => string | null }).toISODate();
		return date ? { ok: true, date } : { ok: false, problem: 'is not a date' };
	}

	const text = raw === null || raw === undefined ? '' : String(raw).trim();
	if (text === '') return { ok: false, problem: 'is empty' };

	let match = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:$|[T\s])/.exec(text);
	if (match) return result(calendarDate(+match[1], +match[2], +match[3]));

	match = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
	if (match) return result(calendarDate(+match[1], +match[2], +match[3]));

	match = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(text);
	if (match) {
		const first = +match[1];
		const second = +match[2];
		const year = +match[3];
		if (first > 12 || second > 12 || first === second) {
			return result(calendarDate(year, first > 12 ? second : first, first > 12 ? first : second));
		}
		return {
			ok: false,
			problem: 'could be read with the day and month either way round',
		};
	}

	match = /^(\d{1,2})\s+([a-z]{3})[a-z]*\.?,?\s+(\d{4})$/i.exec(text);
	if (match) return result(monthNamed(+match[3], match[2], +match[1]));

	match = /^([a-z]{3})[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})$/i.exec(text);
	if (match) return result(monthNamed(+match[3], match[1], +match[2]));

	return { ok: false, problem: 'is not a date' };
}

function monthNamed(year: number, name: string, day: number): string | undefined {
	const month = MONTHS.indexOf(name.toLowerCase()) + 1;
	return month === 0 ? undefined : calendarDate(year, month, day);
}

function result(date: string | undefined): DateResult {
	return date ? { ok: true, date } : { ok: false, problem: 'is not a date that exists' };
}
