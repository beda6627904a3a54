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
		description: 'What to do with SMS',
		displayOptions: { show: { resource: ['sms'] } },
		options: [
			{
				name: 'Get Usage Report',
				value: 'getUsageReport',
				description: 'Get how many SMS were sent and the points they used between two dates',
				action: 'Get SMS usage report',
			},
			{
				name: 'Send',
				value: 'send',
				description: 'Send one SMS to one mobile number',
				action: 'Send an SMS',
			},
		],
		default: 'send',
	},
	...send.description,
	...getUsageReport.description,
];
