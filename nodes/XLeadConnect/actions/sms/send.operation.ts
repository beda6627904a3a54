import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { getText } from '../../helpers/values';
import { xLeadApiRequest } from '../../transport';
import { phoneSendOptions, recipientFields } from '../shared/descriptions';
import { readPhoneOptions, readPhoneRecipient } from '../shared/phone';

export const description: INodeProperties[] = [
	...recipientFields('sms'),
	{
		displayName: 'Content',
		name: 'content',
		type: 'string',
		required: true,
		default: '',
		typeOptions: { rows: 4 },
		description: 'The text of the SMS',
		displayOptions: { show: { resource: ['sms'], operation: ['send'] } },
	},
	phoneSendOptions('sms'),
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const recipient = readPhoneRecipient.call(this, itemIndex);
	const body: IDataObject = {
		...recipient,
		content: getText.call(this, 'content', 'Content', itemIndex, { required: true }),
		...readPhoneOptions.call(this, itemIndex),
	};

	const response = await xLeadApiRequest.call(
		this,
		{ method: 'POST', path: '/v1/sms/send', body },
		itemIndex,
	);

	return { ...response, channel: 'sms', ...recipient };
}
