import type { INodeProperties } from 'n8n-workflow';

import * as getUsageReport from './getUsageReport.operation';
import * as send from './send.operation';

export { getUsageReport, send };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		description: 'What to do with MMS',
		displayOptions: { show: { resource: ['mms'] } },
		options: [
			{
				name: 'Get Usage Report',
				value: 'getUsageReport',
				description: 'Get how many MMS were sent and the points they used between two dates',
				action: 'Get MMS usage report',
			},
			{
				name: 'Send',
				value: 'send',
				description: 'Send one MMS (an image with text) to one mobile number',
				action: 'Send an MMS',
			},
		],
		default: 'send',
	},
	...send.description,
	...getUsageReport.description,
];
