/**
 * Base URLs a user might type into the credential. Runs in n8n-core against the sandbox.
 */
import type { INodeParameters } from 'n8n-workflow';

import { useSandbox } from '../harness/sandbox';
import { expectNothingLeaked, runCaptured } from '../matrix/capture';

const sandbox = useSandbox();

const MOBILE = '62418853';
const CONTENT = 'Your table for two is ready';
const SMS: INodeParameters = {
	resource: 'sms',
	operation: 'send',
	countryCode: '852',
	mobile: MOBILE,
	content: CONTENT,
};
const MAYBE_SENT = 'X Lead Connect may have accepted the message';

describe('a Base URL that is not a web address', () => {
	// "api.connect.xleadfunnel.com" (no scheme) is an easy mistake. The request cannot leave n8n,
	// so the error must point at the Base URL and say the message was not sent, not that X Lead
	// may have accepted it.
	it.each([
		['without http(s)://', (url: string) => url.replace('http://', '')],
		['with a space inside', (url: string) => url.replace('127.0.0.1', '127.0.0 .1')],
	])('%s: the error points at the Base URL and says the message was not sent', async (_t, edit) => {
		const credentials = sandbox.credentials();
		const result = await runCaptured({
			parameters: SMS,
			credentials: { ...credentials, baseUrl: edit(credentials.baseUrl) },
			settings: { onError: 'continueRegularOutput' },
		});

		expect(sandbox.requests()).toHaveLength(0);
		const { error, details } = result.output[0].json;
		expect(String(details)).not.toContain(MAYBE_SENT);
		expect(String(details)).toContain('The message was not sent.');
		expect(`${String(error)} ${String(details)}`).toContain('Base URL');
		expectNothingLeaked(result, [MOBILE, CONTENT]);
	});
});

describe('held up: Base URLs that still work or fail clearly', () => {
	it('spaces and trailing slashes around the Base URL are ignored', async () => {
		const credentials = sandbox.credentials();
		const result = await runCaptured({
			parameters: SMS,
			credentials: { ...credentials, baseUrl: `  ${credentials.baseUrl}///  ` },
		});

		expect(result.error).toBeUndefined();
		expect(sandbox.requests().map((request) => request.path)).toEqual(['/v1/sms/send']);
	});

	it('a Base URL ending in /v1 gets "does not know this address" and nothing is sent', async () => {
		const credentials = sandbox.credentials();
		const result = await runCaptured({
			parameters: SMS,
			credentials: { ...credentials, baseUrl: `${credentials.baseUrl}/v1` },
			settings: { onError: 'continueRegularOutput' },
		});

		expect(result.output[0].json.error).toBe('X Lead Connect does not know this address');
		expect(String(result.output[0].json.details)).toContain('The message was not sent.');
		expect(sandbox.get().state.sends).toHaveLength(0);
	});
});
