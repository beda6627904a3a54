import type { INodeProperties } from 'n8n-workflow';

import { timeoutOnlyOptions } from '../shared/descriptions';
import * as getPointsBalance from './getPointsBalance.operation';
import * as getQuotaBalance from './getQuotaBalance.operation';

export { getPointsBalance, getQuotaBalance };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		description: 'What to do with your X Lead Connect account',
		displayOptions: { show: { resource: ['account'] } },
		options: [
			{
				name: 'Get Points Balance',
				value: 'getPointsBalance',
				description: 'Get the points left for sending SMS and MMS',
				action: 'Get points balance',
			},
			{
				name: 'Get Quota Balance',
				value: 'getQuotaBalance',
				description: 'Get how many eDM sends are left',
				action: 'Get marketing email quota balance',
			},
		],
		default: 'getPointsBalance',
	},
	...getPointsBalance.description,
	...getQuotaBalance.description,
	timeoutOnlyOptions('account', ['getPointsBalance', 'getQuotaBalance']),
];
