import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { Fault } from '../../sandbox/faults';
import { TEST_API_KEY, useSandbox } from '../harness/sandbox';
import {
	closedPortUrl,
	errorItem,
	expectNothingLeaked,
	expectOnePairedOutputPerItem,
	faultsAt,
	personalValues,
	runCaptured,
} from './capture';

const sandbox = useSandbox();

let disarm = () => {};
afterEach(() => disarm());

const MAYBE_SENT =
	'X Lead Connect may have accepted the message before this failure, so it was not sent again. Check the usage report or the delivery callbacks before sending it again.';
const NOT_SENT = 'The message was not sent.';

type Target = 'sms send' | 'points balance';

const RECIPIENTS: IDataObject[] = [
	{ mobile: '67305521', content: 'Dental check-up on Monday at 10:00' },
	{ mobile: '67305522', content: 'Dental check-up on Tuesday at 11:30' },
	{ mobile: '67305523', content: 'Dental check-up on Friday at 15:45' },
];

function parameters(target: Target, timeout?: number): INodeParameters {
	const options = timeout === undefined ? {} : { timeout };
	if (target === 'points balance') {
		return { resource: 'account', operation: 'getPointsBalance', options };
	}
	return {
		resource: 'sms',
		operation: 'send',
		countryCode: '852',
		mobile: '={{ $json.mobile }}',
		content: '={{ $json.content }}',
		options,
	};
}

const itemsFor = (target: Target): IDataObject[] =>
	target === 'sms send' ? RECIPIENTS : [{}, {}, {}];
const personal = RECIPIENTS.flatMap((item) => personalValues(item, ['mobile', 'content']));

interface FaultCase {
	target: Target;
	title: string;
	/** Queued when the middle item's first request arrives. */
	faults: Fault[];
	/** Options → Timeout, in seconds. */
	timeout?: number;
	/** How many requests the middle item costs. */
	middleRequests: number;
	/** What the middle item becomes, without the "Item 2 of 3." that the node puts first. */
	error?: { message: string; description: string };
	/** Whether the sandbox accepted the middle item's send. */
	middleAccepted?: boolean;
	/** Also run with continue-on-fail off: the workflow stops at item 2. */
	alsoStopping?: boolean;
}

const status = (code: number, extra: Partial<Fault> = {}, headers?: Record<string, string>) => ({
	...extra,
	kind: { type: 'status' as const, status: code, ...(headers ? { headers } : {}) },
});

const refusedKey = (rm: string) => ({
	message: 'X Lead Connect refused the API key',
	description: `Check the API key in the X Lead Connect API credential. X Lead Connect said: "${rm}".`,
});
const serverError = (code: number, rm: string) => ({
	message: `X Lead Connect had a server error (HTTP ${code})`,
	description: `Try again later. X Lead Connect said: "${rm}".`,
});
const tooManyRequests = {
	message: 'X Lead Connect is receiving too many requests',
	description:
		'It still asked to slow down after 3 tries. Run the workflow again later, or send fewer items at once. X Lead Connect said: "Too many requests".',
};
const timedOut = {
	message: 'X Lead Connect did not answer in time',
	description: 'No answer came within 1 second (the Timeout option).',
};
const broke = {
	message: 'The connection to X Lead Connect broke',
	description: 'The connection closed before an answer came (ECONNRESET).',
};
const unreadable = {
	message: 'X Lead Connect sent an answer this node cannot read',
	description:
		"The answer (HTTP 200) was not X Lead Connect's JSON. Check the Base URL in the credential; a proxy or a maintenance page may be in the way.",
};
const returnCode = (rc: number, rm?: string) => ({
	message: rm ?? `X Lead Connect refused the request (rc ${rc})`,
	description: `X Lead Connect answered with return code ${rc}.`,
});
const note = (error: { message: string; description: string }, delivery: string) => ({
	...error,
	description: `${error.description} ${delivery}`,
});

const HOLD_3_SECONDS: Fault = { kind: { type: 'timeout', ms: 3000 } };

const FAULTS: FaultCase[] = [
	{
		target: 'sms send',
		title: 'HTTP 401: fails as a refused key, not sent, not retried',
		faults: [status(401)],
		middleRequests: 1,
		error: note(refusedKey('Invalid API key'), NOT_SENT),
		alsoStopping: true,
	},
	{
		target: 'sms send',
		title: 'HTTP 403: fails as a refused key, not sent, not retried',
		faults: [status(403)],
		middleRequests: 1,
		error: note(refusedKey('Forbidden'), NOT_SENT),
	},
	{
		target: 'sms send',
		title: 'HTTP 404: points at the Base URL, not sent, not retried',
		faults: [status(404)],
		middleRequests: 1,
		error: note(
			{
				message: 'X Lead Connect does not know this address',
				description:
					'Check the Base URL in the X Lead Connect API credential (normally https://api.connect.xleadfunnel.com). X Lead Connect said: "Not found".',
			},
			NOT_SENT,
		),
	},
	{
		target: 'sms send',
		title: 'HTTP 429 with Retry-After: 1: waits, tries once more and the send goes out once',
		faults: [status(429, {}, { 'Retry-After': '1' })],
		middleRequests: 2,
		middleAccepted: true,
	},
	{
		target: 'sms send',
		title: 'HTTP 429 without a Retry-After value: waits, tries once more, sent once',
		faults: [status(429, {}, { 'Retry-After': '' })],
		middleRequests: 2,
		middleAccepted: true,
	},
	{
		target: 'sms send',
		title: 'HTTP 429 on every try: gives up after 3 tries, not sent',
		faults: [status(429, { times: 3 })],
		middleRequests: 3,
		error: note(tooManyRequests, NOT_SENT),
		alsoStopping: true,
	},
	{
		target: 'sms send',
		title: 'HTTP 429 asking to wait longer than 30 seconds: gives up at once, not sent',
		faults: [status(429, {}, { 'Retry-After': '60' })],
		middleRequests: 1,
		error: note(
			{
				message: 'X Lead Connect is receiving too many requests',
				description:
					'It asked to wait 60 seconds before trying again, longer than this node waits (30 seconds). Run the workflow again later, or send fewer items at once. X Lead Connect said: "Too many requests".',
			},
			NOT_SENT,
		),
	},
	{
		target: 'sms send',
		title: 'HTTP 500: one request only, may have been sent',
		faults: [status(500)],
		middleRequests: 1,
		error: note(serverError(500, 'Internal error'), MAYBE_SENT),
		alsoStopping: true,
	},
	{
		target: 'sms send',
		title: 'HTTP 502: one request only, may have been sent',
		faults: [status(502)],
		middleRequests: 1,
		error: note(serverError(502, 'Bad gateway'), MAYBE_SENT),
	},
	{
		target: 'sms send',
		title: 'HTTP 502 with a proxy HTML page: one request only, may have been sent',
		faults: [
			{ kind: { type: 'status', status: 502, body: '<html><h1>502 Bad Gateway</h1></html>' } },
		],
		middleRequests: 1,
		error: note(
			{ message: 'X Lead Connect had a server error (HTTP 502)', description: 'Try again later.' },
			MAYBE_SENT,
		),
	},
	{
		target: 'sms send',
		title: 'HTTP 503: one request only, may have been sent',
		faults: [status(503)],
		middleRequests: 1,
		error: note(serverError(503, 'Service unavailable'), MAYBE_SENT),
	},
	{
		target: 'sms send',
		title: 'no answer within the 1-second Timeout: not repeated, may have been sent',
		faults: [HOLD_3_SECONDS],
		timeout: 1,
		middleRequests: 1,
		error: note(timedOut, MAYBE_SENT),
	},
	{
		target: 'sms send',
		title: 'connection reset before the API read it: not repeated, may have been sent',
		faults: [{ kind: { type: 'reset' } }],
		middleRequests: 1,
		error: note(broke, MAYBE_SENT),
	},
	{
		target: 'sms send',
		title:
			'connection reset after the API accepted the send: sent exactly once, may have been sent',
		faults: [{ kind: { type: 'resetAfterProcessing' } }],
		middleRequests: 1,
		middleAccepted: true,
		error: note(broke, MAYBE_SENT),
		alsoStopping: true,
	},
	{
		target: 'sms send',
		title: 'an HTML page at HTTP 200: one request only, may have been sent',
		faults: [{ kind: { type: 'html' } }],
		middleRequests: 1,
		error: note(unreadable, MAYBE_SENT),
	},
	{
		target: 'sms send',
		title: 'an empty body at HTTP 200: one request only, may have been sent',
		faults: [{ kind: { type: 'empty' } }],
		middleRequests: 1,
		error: note(unreadable, MAYBE_SENT),
	},
	{
		target: 'sms send',
		title: 'rc -100 with rm: fails with the API message, not sent',
		faults: [{ kind: { type: 'rc', rc: -100, rm: 'Insufficient points' } }],
		middleRequests: 1,
		error: note(returnCode(-100, 'Insufficient points'), NOT_SENT),
	},
	{
		target: 'sms send',
		title: 'rc -100 without rm: fails naming the return code, not sent',
		faults: [{ kind: { type: 'rc', rc: -100 } }],
		middleRequests: 1,
		error: note(returnCode(-100), NOT_SENT),
	},
	{
		target: 'sms send',
		title: 'rc -200 with rm: fails with the API message, not sent',
		faults: [{ kind: { type: 'rc', rc: -200, rm: 'System busy, please try again later' } }],
		middleRequests: 1,
		error: note(returnCode(-200, 'System busy, please try again later'), NOT_SENT),
	},
	{
		target: 'sms send',
		title: 'rc -200 without rm: fails naming the return code, not sent',
		faults: [{ kind: { type: 'rc', rc: -200 } }],
		middleRequests: 1,
		error: note(returnCode(-200), NOT_SENT),
	},
	{
		target: 'points balance',
		title: 'HTTP 401: fails as a refused key, not retried',
		faults: [status(401)],
		middleRequests: 1,
		error: refusedKey('Invalid API key'),
	},
	{
		target: 'points balance',
		title: 'HTTP 404: points at the Base URL, not retried',
		faults: [status(404)],
		middleRequests: 1,
		error: {
			message: 'X Lead Connect does not know this address',
			description:
				'Check the Base URL in the X Lead Connect API credential (normally https://api.connect.xleadfunnel.com). X Lead Connect said: "Not found".',
		},
	},
	{
		target: 'points balance',
		title: 'HTTP 429 with Retry-After: 1: waits and reads it on the second try',
		faults: [status(429)],
		middleRequests: 2,
	},
	{
		target: 'points balance',
		title: 'HTTP 429 on every try: gives up after 3 tries',
		faults: [status(429, { times: 3 })],
		middleRequests: 3,
		error: tooManyRequests,
	},
	{
		target: 'points balance',
		title: 'HTTP 500 once: retried, read on the second try',
		faults: [status(500)],
		middleRequests: 2,
	},
	{
		target: 'points balance',
		title: 'HTTP 500 on every try: gives up after 3 tries',
		faults: [status(500, { times: 3 })],
		middleRequests: 3,
		error: serverError(500, 'Internal error'),
	},
	{
		target: 'points balance',
		title: 'HTTP 502 twice: retried, read on the third try',
		faults: [status(502, { times: 2 })],
		middleRequests: 3,
	},
	{
		target: 'points balance',
		title: 'HTTP 503 on every try: gives up after 3 tries',
		faults: [status(503, { times: 3 })],
		middleRequests: 3,
		error: serverError(503, 'Service unavailable'),
		alsoStopping: true,
	},
	{
		target: 'points balance',
		title: 'no answer within the 1-second Timeout once: retried, read on the second try',
		faults: [HOLD_3_SECONDS],
		timeout: 1,
		middleRequests: 2,
	},
	{
		target: 'points balance',
		title: 'no answer within the 1-second Timeout on every try: gives up after 3 tries',
		faults: [{ ...HOLD_3_SECONDS, times: 3 }],
		timeout: 1,
		middleRequests: 3,
		error: timedOut,
	},
	{
		target: 'points balance',
		title: 'connection reset once: retried, read on the second try',
		faults: [{ kind: { type: 'reset' } }],
		middleRequests: 2,
	},
	{
		target: 'points balance',
		title: 'connection reset on every try: gives up after 3 tries',
		faults: [{ times: 3, kind: { type: 'reset' } }],
		middleRequests: 3,
		error: broke,
	},
	{
		target: 'points balance',
		title: 'an HTML page once: retried, read on the second try',
		faults: [{ kind: { type: 'html' } }],
		middleRequests: 2,
	},
	{
		target: 'points balance',
		title: 'an empty body on every try: gives up after 3 tries as unreadable',
		faults: [{ times: 3, kind: { type: 'empty' } }],
		middleRequests: 3,
		error: unreadable,
	},
	{
		target: 'points balance',
		title: 'rc -100 with rm: fails with the API message, not retried',
		faults: [{ kind: { type: 'rc', rc: -100, rm: 'Account suspended' } }],
		middleRequests: 1,
		error: returnCode(-100, 'Account suspended'),
	},
	{
		target: 'points balance',
		title: 'rc -200 without rm: fails naming the return code, not retried',
		faults: [{ kind: { type: 'rc', rc: -200 } }],
		middleRequests: 1,
		error: returnCode(-200),
	},
];

/** How many requests each item caused, told apart by recipient for sends. */
function requestsPerItem(target: Target): number[] {
	const requests = sandbox.requests();
	if (target === 'points balance') return [requests.length];
	return RECIPIENTS.map(
		(recipient) =>
			requests.filter((request) => (request.body as IDataObject).mobile === recipient.mobile)
				.length,
	);
}

function expectSuccess(target: Target, json: IDataObject): void {
	if (target === 'points balance') {
		expect(json).toEqual({ rc: 100, rm: 'OK', points: 10000 });
	} else {
		expect(json).toMatchObject({ rc: 100, rm: 'OK', ref_id: expect.stringMatching(/^\d+$/) });
	}
}

const title = (fault: FaultCase) => `${fault.target}: ${fault.title}`;

describe('a fault on the middle item, with continue-on-fail', () => {
	it.each(FAULTS.map((fault) => [title(fault), fault] as const))('%s', async (_title, fault) => {
		disarm = faultsAt(sandbox.get(), { 2: fault.faults });

		const result = await runCaptured({
			parameters: parameters(fault.target, fault.timeout),
			items: itemsFor(fault.target),
			credentials: sandbox.credentials(),
			settings: { onError: 'continueRegularOutput' },
		});

		expect(result.error).toBeUndefined();
		expectOnePairedOutputPerItem(result.output, 3);
		expectSuccess(fault.target, result.output[0].json);
		expectSuccess(fault.target, result.output[2].json);
		if (fault.error) {
			expect(result.output[1]).toEqual(
				errorItem(1, fault.error.message, `Item 2 of 3. ${fault.error.description}`),
			);
		} else {
			expectSuccess(fault.target, result.output[1].json);
		}

		const middle = fault.middleRequests;
		expect(requestsPerItem(fault.target)).toEqual(
			fault.target === 'sms send' ? [1, middle, 1] : [middle + 2],
		);
		const sends = fault.target === 'sms send' ? 2 + (fault.middleAccepted ? 1 : 0) : 0;
		expect(sandbox.get().state.sends).toHaveLength(sends);

		expectNothingLeaked(result, personal);
	});
});

describe('a fault on the middle item, without continue-on-fail', () => {
	const stopping = FAULTS.filter((fault) => fault.alsoStopping);

	it.each(stopping.map((fault) => [title(fault), fault] as const))(
		'%s: the workflow stops at item 2 with that error',
		async (_title, fault) => {
			disarm = faultsAt(sandbox.get(), { 2: fault.faults });

			const result = await runCaptured({
				parameters: parameters(fault.target, fault.timeout),
				items: itemsFor(fault.target),
				credentials: sandbox.credentials(),
			});

			expect(result.error?.message).toBe(fault.error?.message);
			expect(result.error?.description).toBe(`Item 2 of 3. ${fault.error?.description}`);
			expect(result.output).toEqual([]);
			expect(requestsPerItem(fault.target)).toEqual(
				fault.target === 'sms send' ? [1, fault.middleRequests, 0] : [1 + fault.middleRequests],
			);
			const sends = fault.target === 'sms send' ? 1 + (fault.middleAccepted ? 1 : 0) : 0;
			expect(sandbox.get().state.sends).toHaveLength(sends);
			expect(result.logs).toContain(String(fault.error?.message));

			expectNothingLeaked(result, personal);
		},
	);
});

describe('when nothing listens at the Base URL (connection refused)', () => {
	const unreachable = {
		message: 'Could not reach X Lead Connect',
		description:
			'The connection failed (ECONNREFUSED). Check the Base URL in the X Lead Connect API credential and the network of this n8n.',
	};

	it.each([
		['sms send', ` ${NOT_SENT}`],
		['points balance', ''],
	] as const)(
		'%s: every item fails with "Could not reach X Lead Connect", paired, nothing sent',
		async (target, delivery) => {
			const baseUrl = await closedPortUrl();

			const result = await runCaptured({
				parameters: parameters(target),
				items: itemsFor(target),
				credentials: { apiKey: TEST_API_KEY, baseUrl },
				settings: { onError: 'continueRegularOutput' },
			});

			expect(result.error).toBeUndefined();
			expect(result.output).toEqual(
				[0, 1, 2].map((item) =>
					errorItem(
						item,
						unreachable.message,
						`Item ${item + 1} of 3. ${unreachable.description}${delivery}`,
					),
				),
			);
			expect(sandbox.requests()).toEqual([]);
			expectNothingLeaked(result, personal);
		},
	);

	it('sms send without continue-on-fail: stops at item 1, "The message was not sent."', async () => {
		const baseUrl = await closedPortUrl();

		const result = await runCaptured({
			parameters: parameters('sms send'),
			items: RECIPIENTS,
			credentials: { apiKey: TEST_API_KEY, baseUrl },
		});

		expect(result.error?.message).toBe(unreachable.message);
		expect(result.error?.description).toBe(`Item 1 of 3. ${unreachable.description} ${NOT_SENT}`);
		expect(result.output).toEqual([]);
		expect(sandbox.requests()).toEqual([]);
		expect(result.logs).toContain(unreachable.message);
		expectNothingLeaked(result, personal);
	});
});
