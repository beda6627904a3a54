import { fail, type Envelope } from '../envelope';
import {
	NOT_AN_OBJECT,
	firstFieldProblem,
	isJsonObject,
	matches,
	optional,
	required,
} from '../validation';
import type { SandboxContext, V1Input, V1Route } from './route';

const EDM_COST = { points: 0, quota: 1 };

function isMergeParams(value: unknown): boolean {
	return (
		Array.isArray(value) &&
		value.every((param: unknown) => {
			if (!isJsonObject(param)) return false;
			const values = Object.values(param);
			return values.length === 1 && typeof values[0] === 'string';
		})
	);
}

function isZeroOrOne(value: unknown): boolean {
	return value === 0 || value === 1;
}

function sendEdm({ body }: V1Input, context: SandboxContext): Envelope {
	if (!isJsonObject(body)) return fail(NOT_AN_OBJECT);

	const problem = firstFieldProblem(body, [
		required('campaign_id', matches(/^[0-9a-f]{24}$/i)),
		required('email', matches(/^[^\s@]+@[^\s@]+\.[^\s@]+$/)),
		optional('params', isMergeParams),
		optional('send_also_unsubscribed_users', isZeroOrOne),
	]);
	if (problem) return fail(problem);

	return context.store.acceptSend('edm', EDM_COST, String(body.email));
}

export const edmRoutes: V1Route[] = [{ method: 'POST', path: '/edm/send', handle: sendEdm }];
