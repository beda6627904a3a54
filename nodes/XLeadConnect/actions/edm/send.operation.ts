import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { fieldError, getCampaignId, getEmail, requireText } from '../../helpers/values';
import { xLeadApiRequest } from '../../transport';
import { timeoutOption } from '../shared/descriptions';

const displayOptions = { show: { resource: ['edm'], operation: ['send'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Campaign ID',
		name: 'campaignId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '65a1b2c3d4e5f60718293a4b',
		description:
			'The 24-character ID of a campaign prepared in the X Lead portal; the subject, sender and body come from it',
		displayOptions,
	},
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'name@email.com',
		description: 'The address to send the campaign to',
		displayOptions,
	},
	{
		displayName: 'Merge Fields',
		name: 'mergeFields',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add merge field',
		default: {},
		description: "Values for the placeholders in the campaign, such as the recipient's name",
		displayOptions,
		options: [
			{
				displayName: 'Field',
				name: 'field',
				values: [
					{
						displayName: 'Name',
						name: 'name',
						type: 'string',
						default: '',
						description: "The placeholder's name as written in the campaign",
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						description: 'The text to put in its place for this recipient',
					},
				],
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		description: 'Whether to reach unsubscribed addresses, and the timeout',
		displayOptions,
		options: [
			{
				displayName: 'Also Send to Unsubscribed Users',
				name: 'sendAlsoUnsubscribedUsers',
				type: 'boolean',
				default: false,
				description:
					'Whether to send even if the address has unsubscribed. Turn on only for messages the recipient must receive.',
			},
			timeoutOption,
		],
	},
];

function readMergeFields(this: IExecuteFunctions, itemIndex: number): IDataObject[] {
	const fields = this.getNodeParameter('mergeFields.field', itemIndex, []) as Array<{
		name?: unknown;
		value?: unknown;
	}>;
	const seen = new Set<string>();
	return fields.map((field, position) => {
		const name = requireText.call(this, field.name, 'Merge Fields', itemIndex).trim();
		if (name === '' || seen.has(name)) {
			throw fieldError.call(
				this,
				itemIndex,
				'Merge Fields',
				name === '' ? `has a field without a name (field ${position + 1})` : 'names a field twice',
				'Give every merge field the placeholder name used in the campaign, each name once.',
			);
		}
		seen.add(name);
		// The API wants one single-key object per merge field, not one object with all of them.
		return { [name]: requireText.call(this, field.value, 'Merge Fields', itemIndex) };
	});
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const campaignId = getCampaignId.call(this, itemIndex);
	const email = getEmail.call(this, itemIndex);
	const params = readMergeFields.call(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as {
		sendAlsoUnsubscribedUsers?: boolean;
	};

	const body: IDataObject = { campaign_id: campaignId, email };
	if (params.length > 0) body.params = params;
	body.send_also_unsubscribed_users = options.sendAlsoUnsubscribedUsers === true ? 1 : 0;

	const response = await xLeadApiRequest.call(
		this,
		{ method: 'POST', path: '/v1/edm/send', body },
		itemIndex,
	);

	return { ...response, channel: 'edm', campaign_id: campaignId, email };
}
