import type { INodeProperties } from 'n8n-workflow';

import * as send from './send.operation';

export { send };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		description: 'What to do with eDM',
		displayOptions: { show: { resource: ['edm'] } },
		options: [
			{
				name: 'Send',
				value: 'send',
				description: 'Send a campaign prepared in the X Lead portal to one email address',
				action: 'Send a marketing email',
			},
		],
		default: 'send',
	},
	...send.description,
];
