import { runNode } from '../harness/n8n';
import { TEST_API_KEY, useSandbox } from '../harness/sandbox';

const sandbox = useSandbox();

const smsTo = (countryCode: string, mobile = '={{ $json.phone }}') => ({
	resource: 'sms',
	operation: 'send',
	countryCode,
	mobile,
	content: 'Reminder: your appointment is tomorrow',
});

const items = [{ phone: '81110001' }, { phone: '81110002' }, { phone: '81110003' }];

describe('when the API answers rc -100', () => {
	it('stops the workflow with the API message when Continue On Fail is off', async () => {
		const { output, error } = await runNode({
			parameters: smsTo('65'),
			items,
			credentials: sandbox.credentials(),
		});

		expect(error?.message).toBe(
			'Missing sender, your region requires Sender ID to send out messages.',
		);
		expect(error?.description).toBe(
			'Item 1 of 3. X Lead Connect answered with return code -100. The message was not sent.',
		);
		expect(output).toEqual([]);
		// The first item failed, so nothing else went out.
		expect(sandbox.requests()).toHaveLength(1);
	});

	it('with Continue On Fail, puts an error item in place of each failed item and sends the rest', async () => {
		const { output, error } = await runNode({
			parameters: smsTo('={{ $json.phone === "81110002" ? "65" : "852" }}'),
			items,
			credentials: sandbox.credentials(),
			settings: { onError: 'continueRegularOutput' },
		});

		expect(error).toBeUndefined();
		expect(sandbox.requests()).toHaveLength(3);
		expect(output).toHaveLength(3);
		expect(output[0]).toMatchObject({
			json: { rc: 100, ref_id: '145737475' },
			pairedItem: { item: 0 },
		});
		expect(output[1]).toEqual({
			json: {
				error: 'Missing sender, your region requires Sender ID to send out messages.',
				details:
					'Item 2 of 3. X Lead Connect answered with return code -100. The message was not sent.',
			},
			pairedItem: { item: 1 },
		});
		expect(output[2]).toMatchObject({
			json: { rc: 100, ref_id: '145737476' },
			pairedItem: { item: 2 },
		});
	});
});

describe('when the API key is wrong', () => {
	it('fails with a message about the key and the API text, without the key', async () => {
		const { output, error } = await runNode({
			parameters: { resource: 'account', operation: 'getQuotaBalance' },
			credentials: { apiKey: 'not-the-right-key', baseUrl: sandbox.get().url },
		});

		expect(output).toEqual([]);
		expect(error?.message).toBe('X Lead Connect refused the API key');
		expect(error?.description).toBe(
			'Item 1 of 1. Check the API key in the X Lead Connect API credential. X Lead Connect said: "Invalid API key".',
		);
		expect(sandbox.requests()[0].headers['x-api-key']).toBe('not-the-right-key');
		expect(JSON.stringify(error)).not.toContain('not-the-right-key');
	});

	it('with the error output, every item gets its own error item and pairedItem there', async () => {
		const { output, errorOutput } = await runNode({
			parameters: smsTo('852'),
			items,
			credentials: { apiKey: 'not-the-right-key', baseUrl: sandbox.get().url },
			settings: { onError: 'continueErrorOutput' },
		});

		expect(output).toEqual([]);
		expect(errorOutput).toEqual(
			[0, 1, 2].map((item) => ({
				json: {
					error: 'X Lead Connect refused the API key',
					details: `Item ${item + 1} of 3. Check the API key in the X Lead Connect API credential. X Lead Connect said: "Invalid API key". The message was not sent.`,
				},
				pairedItem: { item },
			})),
		);
		expect(sandbox.requests()).toHaveLength(3);
		expect(JSON.stringify(errorOutput)).not.toContain('not-the-right-key');
	});
});

describe('when nothing listens at the Base URL', () => {
	it('says the API could not be reached', async () => {
		const url = sandbox.get().url.replace(/:\d+$/, ':9');
		const { error } = await runNode({
			parameters: { resource: 'account', operation: 'getPointsBalance' },
			credentials: { apiKey: TEST_API_KEY, baseUrl: url },
		});

		expect(error?.message).toBe('Could not reach X Lead Connect');
		expect(error?.description).toMatch(
			/^Item 1 of 1\. The connection failed \(ECONNREFUSED\)\. Check the Base URL/,
		);
		expect(JSON.stringify(error)).not.toContain(TEST_API_KEY);
	});
});
