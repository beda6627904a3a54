import { fail, type Envelope } from '../envelope';
import {
	NOT_AN_OBJECT,
	firstFieldProblem,
	isBoolean,
	isJsonObject,
	isNonEmptyString,
	optional,
	phoneRules,
	required,
	senderProblem,
} from '../validation';
import type { SandboxContext, V1Input, V1Route } from './route';
import { usageReport } from './usage';

const SMS_COST = { points: 1, quota: 0 };

function sendSms({ body }: V1Input, context: SandboxContext): Envelope {
	if (!isJsonObject(body)) return fail(NOT_AN_OBJECT);

	const problem =
		firstFieldProblem(body, [
			...phoneRules,
			required('content', isNonEmptyString),
			optional('send_also_ofca_registers', isBoolean),
		]) ?? senderProblem(body, context.senderRequiredCountryCodes);
	if (problem) return fail(problem);

	return context.store.acceptSend('sms', SMS_COST, String(body.mobile));
}

export const smsRoutes: V1Route[] = [
	{ method: 'POST', path: '/sms/send', handle: sendSms },
	{ method: 'GET', path: '/sms/get-usage-report', handle: usageReport('sms') },
];
