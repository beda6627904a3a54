import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { getHttpUrl, getText } from '../../helpers/values';
import { xLeadApiRequest } from '../../transport';
import { phoneSendOptions, recipientFields } from '../shared/descriptions';
import { readPhoneOptions, readPhoneRecipient } from '../shared/phone';

const displayOptions = { show: { resource: ['mms'], operation: ['send'] } };

export const description: INodeProperties[] = [
	...recipientFields('mms'),
	{
		displayName: 'Subject',
		name: 'subject',
		type: 'string',
		required: true,
		default: '',
		description: 'The subject line of the MMS',
		displayOptions,
	},
	{
		displayName: 'Image URL',
		name: 'imageUrl',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'https://example.com/offer.jpg',
		description:
			'Public http or https address of the image; X Lead Connect downloads it from there',
		displayOptions,
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		required: true,
		default: '',
		typeOptions: { rows: 4 },
		description: 'The text shown below the image',
		displayOptions,
	},
	phoneSendOptions('mms'),
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const recipient = readPhoneRecipient.call(this, itemIndex);
	const body: IDataObject = {
		...recipient,
		subject: getText.call(this, 'subject', 'Subject', itemIndex, { required: true }),
		image_url: getHttpUrl.call(this, 'imageUrl', 'Image URL', itemIndex),
		text: getText.call(this, 'text', 'Text', itemIndex, { required: true }),
		...readPhoneOptions.call(this, itemIndex),
	};

	const response = await xLeadApiRequest.call(
		this,
		{ method: 'POST', path: '/v1/mms/send', body },
		itemIndex,
	);

	return { ...response, channel: 'mms', ...recipient };
}
