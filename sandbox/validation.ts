export type JsonObject = Record<string, unknown>;

export interface FieldRule {
	name: string;
	required: boolean;
	isValid: (value: unknown) => boolean;
}

export const NOT_AN_OBJECT = 'Request body must be a JSON object';
export const MISSING_SENDER =
	'Missing sender, your region requires Sender ID to send out messages.';

export function isJsonObject(value: unknown): value is JsonObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function required(name: string, isValid: FieldRule['isValid']): FieldRule {
	return { name, required: true, isValid };
}

export function optional(name: string, isValid: FieldRule['isValid']): FieldRule {
	return { name, required: false, isValid };
}

/** Returns the rm for the first rule the body breaks, or undefined when all hold. */
export function firstFieldProblem(body: JsonObject, rules: FieldRule[]): string | undefined {
	for (const rule of rules) {
		const value = body[rule.name];
		if (value === undefined || value === null) {
			if (rule.required) return `Missing ${rule.name}`;
			if (value === undefined) continue;
		}
		if (!rule.isValid(value)) return `Invalid ${rule.name}`;
	}
	return undefined;
}

export function isNonEmptyString(value: unknown): value is string {
	return typeof value === 'string' && value.length > 0;
}

export function isBoolean(value: unknown): value is boolean {
	return typeof value === 'boolean';
}

export function matches(pattern: RegExp): (value: unknown) => boolean {
	return (value) => typeof value === 'string' && pattern.test(value);
}

export function isHttpUrl(value: unknown): boolean {
	if (typeof value !== 'string' || !URL.canParse(value)) return false;
	const { protocol } = new URL(value);
	return protocol === 'http:' || protocol === 'https:';
}

export function isIsoDate(value: unknown): value is string {
	if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
	const date = new Date(`${value}T00:00:00Z`);
	return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

// Strings only: a number would already have lost a leading zero (Taiwan's "0912345678").
export const phoneRules: FieldRule[] = [
	required('country_code', matches(/^\d{1,4}$/)),
	required('mobile', matches(/^\d{4,15}$/)),
	optional('sender', isNonEmptyString),
];

export function senderProblem(
	body: JsonObject,
	senderRequiredCountryCodes: ReadonlySet<string>,
): string | undefined {
	const needsSender =
		typeof body.country_code === 'string' && senderRequiredCountryCodes.has(body.country_code);
	return needsSender && body.sender === undefined ? MISSING_SENDER : undefined;
}
