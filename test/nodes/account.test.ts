import { runNode } from '../harness/n8n';
import { TEST_API_KEY, useSandbox } from '../harness/sandbox';

const sandbox = useSandbox({ points: 1234, quota: 12320 });

describe('Account', () => {
	it('Get Points Balance reads the balance as a number', async () => {
		const { output, error } = await runNode({
			parameters: { resource: 'account', operation: 'getPointsBalance' },
			credentials: sandbox.credentials(),
		});

		expect(error).toBeUndefined();
		expect(sandbox.requests()).toHaveLength(1);
		const [request] = sandbox.requests();
		expect(request.method).toBe('GET');
		expect(request.path).toBe('/v1/acct/get-points-balance');
		expect(request.query).toEqual({});
		expect(request.body).toBeUndefined();
		expect(request.headers['x-api-key']).toBe(TEST_API_KEY);
		expect(output).toEqual([
			{ json: { rc: 100, rm: 'OK', points: 1234 }, pairedItem: { item: 0 } },
		]);
	});

	it('Get Quota Balance reads the remaining eDM quota as a number', async () => {
		const { output } = await runNode({
			parameters: { resource: 'account', operation: 'getQuotaBalance' },
			credentials: sandbox.credentials(),
		});

		const [request] = sandbox.requests();
		expect(request.method).toBe('GET');
		expect(request.path).toBe('/v1/acct/get-quota-balance');
		expect(request.headers['x-api-key']).toBe(TEST_API_KEY);
		expect(output).toEqual([
			{
				json: { rc: 100, rm: 'Remaining quota for sending emails', quota: 12320 },
				pairedItem: { item: 0 },
			},
		]);
	});

	it('a balance reflects the points a send drew down', async () => {
		await runNode({
			parameters: {
				resource: 'sms',
				operation: 'send',
				countryCode: '852',
				mobile: '91234567',
				content: 'x',
			},
			credentials: sandbox.credentials(),
		});
		const { output } = await runNode({
			parameters: { resource: 'account', operation: 'getPointsBalance' },
			credentials: sandbox.credentials(),
		});

		expect(output[0].json.points).toBe(1233);
	});
});
