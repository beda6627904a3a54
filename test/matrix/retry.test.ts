import type { IDataObject } from 'n8n-workflow';

import type { Fault } from '../../sandbox/faults';
import { useSandbox } from '../harness/sandbox';
import {
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

// n8n-core reads `waitBetweenTries || 1000`, so 0 means a second; 1 ms is the shortest wait.
const RETRY = { retryOnFail: true, maxTries: 3, waitBetweenTries: 1 } as const;

const MAYBE_SENT =
	'X Lead Connect may have accepted the message before this failure, so it was not sent again. Check the usage report or the delivery callbacks before sending it again.';
const NOT_SENT = 'The message was not sent.';

const RECIPIENTS: IDataObject[] = [
	{ mobile: '59027781', content: 'Flu clinic: your slot is 09:15' },
	{ mobile: '59027782', content: 'Flu clinic: your slot is 09:30' },
	{ mobile: '59027783', content: 'Flu clinic: your slot is 09:45' },
];
const personal = RECIPIENTS.flatMap((item) => personalValues(item, ['mobile', 'content']));

const SMS = {
	resource: 'sms',
	operation: 'send',
	countryCode: '852',
	mobile: '={{ $json.mobile }}',
	content: '={{ $json.content }}',
};

interface Failure {
	message: string;
	/** Without the "Item n of 3." that the node puts first. */
	description: string;
}

const serverError: Failure = {
	message: 'X Lead Connect had a server error (HTTP 500)',
	description: `Try again later. X Lead Connect said: "Internal error". ${MAYBE_SENT}`,
};
const broke: Failure = {
	message: 'The connection to X Lead Connect broke',
	description: `The connection closed before an answer came (ECONNRESET). ${MAYBE_SENT}`,
};
const busy: Failure = {
	message: 'System busy',
	description: `X Lead Connect answered with return code -100. ${NOT_SENT}`,
};

interface RetryCase {
	title: string;
	continueOnFail: boolean;
	/** Faults queued as requests arrive, by request number (from 1). */
	faults: Record<number, Fault[]>;
	/** Requests per recipient, in item order. */
	requests: number[];
	/** Messages the sandbox accepted. */
	sends: number;
	/** Per item: sent, or the failure its error item shows. */
	items: Array<'sent' | Failure>;
	/** The error that stopped the workflow, with the number of the item it names. */
	stoppedBy?: Failure & { item: number };
}

const once = (kind: Fault['kind']): Fault[] => [{ kind }];
const rcBusy: Fault['kind'] = { type: 'rc', rc: -100, rm: 'System busy' };

const CASES: RetryCase[] = [
	{
		title: 'item 3 gets HTTP 500: items 1 and 2 are not sent again, item 3 is not re-sent',
		continueOnFail: false,
		faults: { 3: once({ type: 'status', status: 500 }) },
		requests: [1, 1, 1],
		sends: 2,
		items: [],
		stoppedBy: { ...serverError, item: 3 },
	},
	{
		title: 'item 3 is accepted then the connection resets: nothing is sent twice',
		continueOnFail: false,
		faults: { 3: once({ type: 'resetAfterProcessing' }) },
		requests: [1, 1, 1],
		sends: 3,
		items: [],
		stoppedBy: { ...broke, item: 3 },
	},
	{
		title: 'item 3 gets rc -100 on every try: only item 3 is tried again, 3 times in all',
		continueOnFail: false,
		faults: { 3: once(rcBusy), 4: once(rcBusy), 5: once(rcBusy) },
		requests: [1, 1, 3],
		sends: 2,
		items: [],
		stoppedBy: { ...busy, item: 3 },
	},
	{
		title: 'item 3 gets rc -100 on the first try only: the retry succeeds, one message each',
		continueOnFail: false,
		faults: { 3: once(rcBusy) },
		requests: [1, 1, 2],
		sends: 3,
		items: ['sent', 'sent', 'sent'],
	},
	{
		title: 'item 3 gets HTTP 500: n8n does not retry (item 1 succeeded), item 3 errors',
		continueOnFail: true,
		faults: { 3: once({ type: 'status', status: 500 }) },
		requests: [1, 1, 1],
		sends: 2,
		items: ['sent', 'sent', serverError],
	},
	{
		title: 'item 1 gets rc -100 on the first try only: the retry succeeds, one message each',
		continueOnFail: true,
		faults: { 1: once(rcBusy) },
		requests: [2, 1, 1],
		sends: 3,
		items: ['sent', 'sent', 'sent'],
	},
	{
		title: 'item 1 gets HTTP 500: n8n retries, but nothing is sent twice',
		continueOnFail: true,
		faults: { 1: once({ type: 'status', status: 500 }) },
		requests: [1, 1, 1],
		sends: 2,
		items: [serverError, 'sent', 'sent'],
	},
	{
		title: 'item 1 is accepted then the connection resets: n8n retries, nothing sent twice',
		continueOnFail: true,
		faults: { 1: once({ type: 'resetAfterProcessing' }) },
		requests: [1, 1, 1],
		sends: 3,
		items: [broke, 'sent', 'sent'],
	},
	{
		title: 'item 1 gets rc -100 on every try: only item 1 is tried again, 3 times in all',
		continueOnFail: true,
		// Item 1 is request 1 on the first try and, once items 2 and 3 are remembered, 4 and 5 after.
		faults: { 1: once(rcBusy), 4: once(rcBusy), 5: once(rcBusy) },
		requests: [3, 1, 1],
		sends: 2,
		items: [busy, 'sent', 'sent'],
	},
];

function requestsPerRecipient(): number[] {
	return RECIPIENTS.map(
		(recipient) =>
			sandbox
				.requests()
				.filter((request) => (request.body as IDataObject).mobile === recipient.mobile).length,
	);
}

const name = (retryCase: RetryCase) =>
	`${retryCase.continueOnFail ? 'with' : 'without'} continue-on-fail, ${retryCase.title}`;

describe("n8n's Retry On Fail (3 tries) never sends a message twice", () => {
	it.each(CASES.map((retryCase) => [name(retryCase), retryCase] as const))(
		'%s',
		async (_name, retryCase) => {
			disarm = faultsAt(sandbox.get(), retryCase.faults);

			const result = await runCaptured({
				parameters: SMS,
				items: RECIPIENTS,
				credentials: sandbox.credentials(),
				settings: {
					...RETRY,
					...(retryCase.continueOnFail ? { onError: 'continueRegularOutput' } : {}),
				},
			});

			expect(requestsPerRecipient()).toEqual(retryCase.requests);
			expect(sandbox.get().state.sends).toHaveLength(retryCase.sends);

			if (retryCase.stoppedBy) {
				const { message, description, item } = retryCase.stoppedBy;
				expect(result.error?.message).toBe(message);
				expect(result.error?.description).toBe(`Item ${item} of 3. ${description}`);
				expect(result.output).toEqual([]);
			} else {
				expect(result.error).toBeUndefined();
				expectOnePairedOutputPerItem(result.output, 3);
				retryCase.items.forEach((outcome, item) => {
					if (outcome === 'sent') {
						expect(result.output[item].json).toMatchObject({
							rc: 100,
							ref_id: expect.stringMatching(/^\d+$/),
							mobile: RECIPIENTS[item].mobile,
						});
					} else {
						expect(result.output[item]).toEqual(
							errorItem(item, outcome.message, `Item ${item + 1} of 3. ${outcome.description}`),
						);
					}
				});
				// Every ref_id in the output is one the sandbox handed out, each once.
				const refIds = result.output.map((item) => item.json.ref_id).filter(Boolean);
				expect(new Set(refIds).size).toBe(refIds.length);
			}

			expectNothingLeaked(result, personal);
		},
	);

	it('a later execution of the same workflow sends again (the memory is per execution)', async () => {
		const first = await runCaptured({
			parameters: SMS,
			items: RECIPIENTS.slice(0, 1),
			credentials: sandbox.credentials(),
			settings: RETRY,
		});
		const second = await runCaptured({
			parameters: SMS,
			items: RECIPIENTS.slice(0, 1),
			credentials: sandbox.credentials(),
			settings: RETRY,
		});

		expect(first.output[0].json.ref_id).toBe('145737475');
		expect(second.output[0].json.ref_id).toBe('145737476');
		expect(sandbox.get().state.sends).toHaveLength(2);
		expectNothingLeaked(first, personal);
		expectNothingLeaked(second, personal);
	});

	it('a text that differs on each try (it shows $now) still does not send items 1 and 2 twice', async () => {
		disarm = faultsAt(sandbox.get(), { 3: once({ type: 'status', status: 500 }) });

		const result = await runCaptured({
			parameters: { ...SMS, content: '={{ $json.content }} (sent {{ $now.toISO() }})' },
			items: RECIPIENTS,
			credentials: sandbox.credentials(),
			settings: RETRY,
		});

		expect(requestsPerRecipient()).toEqual([1, 1, 1]);
		expect(sandbox.get().state.sends).toHaveLength(2);
		expect(result.error?.message).toBe(serverError.message);
		expectNothingLeaked(result, personal);
	});
});
