import { runNode } from '../harness/n8n';
import { TEST_API_KEY, useSandbox } from '../harness/sandbox';

const sandbox = useSandbox();

const CAMPAIGN = '65a1b2c3d4e5f60718293a4b';

describe('eDM: Send', () => {
	it('posts the campaign, address and merge fields as one-key objects', async () => {
		const { output, error } = await runNode({
			parameters: {
				resource: 'edm',
				operation: 'send',
				campaignId: CAMPAIGN,
				email: 'ann@example.com',
				mergeFields: {
					field: [
						{ name: 'name', value: 'Ann' },
						{ name: 'score', value: '78' },
					],
				},
			},
			credentials: sandbox.credentials(),
		});

		expect(error).toBeUndefined();
		const [request] = sandbox.requests();
		expect(request.method).toBe('POST');
		expect(request.path).toBe('/v1/edm/send');
		expect(request.headers['x-api-key']).toBe(TEST_API_KEY);
		expect(request.body).toEqual({
			campaign_id: CAMPAIGN,
			email: 'ann@example.com',
			params: [{ name: 'Ann' }, { score: '78' }],
			send_also_unsubscribed_users: 0,
		});
		expect(output).toEqual([
			{
				json: {
					rc: 100,
					rm: 'OK',
					ref_id: '145737475',
					channel: 'edm',
					campaign_id: CAMPAIGN,
					email: 'ann@example.com',
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(sandbox.get().state.quota).toBe(4999);
	});

	it('leaves params out without merge fields and sends 1 when unsubscribed users are included', async () => {
		await runNode({
			parameters: {
				resource: 'edm',
				operation: 'send',
				campaignId: CAMPAIGN,
				email: 'bob@example.com',
				options: { sendAlsoUnsubscribedUsers: true },
			},
			credentials: sandbox.credentials(),
		});

		expect(sandbox.requests()[0].body).toEqual({
			campaign_id: CAMPAIGN,
			email: 'bob@example.com',
			send_also_unsubscribed_users: 1,
		});
	});
});
