/**
 * What the node makes of odd answers from the API: texts that echo secrets or recipients, ref_id
 * as a number, and an rc as a string. Runs in n8n-core against the sandbox, over real HTTP.
 */
import type { INodeParameters } from 'n8n-workflow';

import type { Fault } from '../../sandbox/faults';
import { TEST_API_KEY, useSandbox } from '../harness/sandbox';
import { expectNothingLeaked, runCaptured } from '../matrix/capture';

const sandbox = useSandbox();

const MOBILE = '62418853';
const CONTENT = 'Parcel A1 is ready at Kowloon Bay';
const SMS: INodeParameters = {
	resource: 'sms',
	operation: 'send',
	countryCode: '852',
	mobile: MOBILE,
	content: CONTENT,
};
const answer200 = (body: unknown): Fault[] => [{ kind: { type: 'status', status: 200, body } }];

describe('an API message (rm) that echoes the key or the recipient', () => {
	// rm becomes the error message (rc other than 100) or part of the description ("X Lead Connect
	// said: ..."), which land in the editor, the continue-on-fail item and n8n's log. The node
	// hides the key and the recipient it sent wherever the API repeats them.
	it('an rc -100 whose rm repeats the mobile number does not put the number in the error', async () => {
		sandbox
			.get()
			.injectFaults([
				{ kind: { type: 'rc', rc: -100, rm: `Mobile ${MOBILE} is on the do-not-call list` } },
			]);
		const result = await runCaptured({ parameters: SMS, credentials: sandbox.credentials() });

		expect(result.error?.message).toBeDefined();
		expectNothingLeaked(result, [MOBILE, CONTENT]);
	});

	it('a 401 whose rm repeats the API key does not put the key in the error', async () => {
		sandbox.get().injectFaults([
			{
				kind: {
					type: 'status',
					status: 401,
					body: { rc: -100, rm: `Invalid API key ${TEST_API_KEY}` },
				},
			},
		]);
		const result = await runCaptured({
			parameters: SMS,
			credentials: sandbox.credentials(),
			settings: { onError: 'continueRegularOutput' },
		});

		expect(result.output[0].json.error).toBe('X Lead Connect refused the API key');
		expectNothingLeaked(result, [MOBILE, CONTENT]);
	});
});

describe('a numeric ref_id', () => {
	// API.md: "ref_id stays a string", so that it equals the ref_id of the callbacks in a lookup.
	it('a ref_id sent as a number comes out as a string', async () => {
		sandbox.get().injectFaults(answer200({ rc: 100, rm: 'OK', ref_id: 145737475 }));
		const result = await runCaptured({ parameters: SMS, credentials: sandbox.credentials() });

		expect(result.error).toBeUndefined();
		expect(result.output[0].json.ref_id).toBe('145737475');
	});
});

describe('held up: answers in unusual but readable forms', () => {
	it('rc "100" as a string is a success, and the output rc is the number 100', async () => {
		sandbox.get().injectFaults(answer200({ rc: '100', rm: 'OK', ref_id: '77', extra: { a: 1 } }));
		const result = await runCaptured({ parameters: SMS, credentials: sandbox.credentials() });

		expect(result.output[0].json).toEqual({
			rc: 100,
			rm: 'OK',
			ref_id: '77',
			extra: { a: 1 },
			channel: 'sms',
			country_code: '852',
			mobile: MOBILE,
		});
		expect(sandbox.requests()).toHaveLength(1);
	});

	it.each([
		['"1,234"', '1,234'],
		['an empty string', ''],
		['null', null],
	])('a quota of %s is an error that says no number came, not NaN or 0', async (_title, quota) => {
		sandbox.get().injectFaults(answer200({ rc: 100, rm: 'Remaining quota', quota }));
		const result = await runCaptured({
			parameters: { resource: 'account', operation: 'getQuotaBalance' },
			credentials: sandbox.credentials(),
			settings: { onError: 'continueRegularOutput' },
		});

		expect(result.output).toEqual([
			{
				json: {
					error: 'X Lead Connect sent no number for "quota"',
					details: 'Item 1 of 1. The answer was not in the documented form. Try again later.',
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('a 200 whose body is a JSON array is unreadable; the send is not repeated', async () => {
		sandbox.get().injectFaults(answer200([{ rc: 100, rm: 'OK', ref_id: '1' }]));
		const result = await runCaptured({
			parameters: SMS,
			credentials: sandbox.credentials(),
			settings: { retryOnFail: true, maxTries: 3, waitBetweenTries: 1 },
		});

		expect(result.error?.message).toBe('X Lead Connect sent an answer this node cannot read');
		expect(sandbox.requests()).toHaveLength(1);
		expectNothingLeaked(result, [MOBILE, CONTENT]);
	});
});

describe('a points balance under another field name', () => {
	it('prefers a field named like a balance over an unrelated number', async () => {
		sandbox
			.get()
			.injectFaults(answer200({ rc: 100, rm: 'OK', account_id: '778899', balance: '12' }));
		const result = await runCaptured({
			parameters: { resource: 'account', operation: 'getPointsBalance' },
			credentials: sandbox.credentials(),
		});

		expect(result.output[0].json).toEqual({
			rc: 100,
			rm: 'OK',
			account_id: '778899',
			balance: '12',
			points: 12,
		});
	});
});
