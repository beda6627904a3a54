import { fail, type Envelope } from '../envelope';
import {
	NOT_AN_OBJECT,
	firstFieldProblem,
	isBoolean,
	isHttpUrl,
	isJsonObject,
	isNonEmptyString,
	optional,
	phoneRules,
	required,
	senderProblem,
	type JsonObject,
} from '../validation';
import type { SandboxContext, V1Input, V1Route } from './route';
import { usageReport } from './usage';

const MMS_COST = { points: 3, quota: 0 };

function sendMms({ body }: V1Input, context: SandboxContext): Envelope {
	if (!isJsonObject(body)) return fail(NOT_AN_OBJECT);

	const problem =
		firstFieldProblem(body, [...phoneRules, required('subject', isNonEmptyString)]) ??
		contentProblem(body) ??
		firstFieldProblem(body, [optional('send_also_ofca_registers', isBoolean)]) ??
		senderProblem(body, context.senderRequiredCountryCodes);
	if (problem) return fail(problem);

	return context.store.acceptSend('mms', MMS_COST, String(body.mobile));
}

/** Form A is image_url + text, form B is boundary + smil; the API documents no mix of both. */
function contentProblem(body: JsonObject): string | undefined {
	const usesFormA = body.image_url !== undefined || body.text !== undefined;
	const usesFormB = body.boundary !== undefined || body.smil !== undefined;
	if (usesFormA && usesFormB) {
		return 'Send either image_url with text, or boundary with smil, not both';
	}
	if (!usesFormB) {
		return firstFieldProblem(body, [
			required('image_url', isHttpUrl),
			required('text', isNonEmptyString),
		]);
	}

	const { boundary, smil } = body;
	if (typeof boundary !== 'string' || boundary.trim() === '' || /[\r\n]/.test(boundary)) {
		return boundary === undefined || boundary === null ? 'Missing boundary' : 'Invalid boundary';
	}
	if (smil === undefined || smil === null) return 'Missing smil';
	if (!isNonEmptyString(smil) || countBoundaryLines(smil, boundary) < 2) {
		return 'Invalid smil: each part must open with the boundary line, and the document end with it';
	}
	return undefined;
}

// Accepts the bare value the reference describes as well as MIME's --value and --value-- forms.
function countBoundaryLines(document: string, boundary: string): number {
	const forms = new Set([boundary.trim(), `--${boundary.trim()}`, `--${boundary.trim()}--`]);
	return document.split(/\r?\n/).filter((line) => forms.has(line.trim())).length;
}

export const mmsRoutes: V1Route[] = [
	{ method: 'POST', path: '/mms/send', handle: sendMms },
	{ method: 'GET', path: '/mms/get-usage-report', handle: usageReport('mms') },
];
