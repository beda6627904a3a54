import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as account from './actions/account';
import * as edm from './actions/edm';
import * as mms from './actions/mms';
import { router } from './actions/router';
import * as sms from './actions/sms';

export class XLeadConnect implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'X Lead Connect',
		name: 'xLeadConnect',
		icon: { light: 'file:xLeadConnect.svg', dark: 'file:xLeadConnect.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Send SMS, MMS and marketing email (eDM) with X Lead Connect, and check usage and balances',
		defaults: { name: 'X Lead Connect' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'xLeadConnectApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Account',
						value: 'account',
						description: 'Points left for SMS and MMS, and eDM sends left',
					},
					{
						name: 'eDM',
						value: 'edm',
						description: 'Marketing email sent from a campaign prepared in the X Lead portal',
					},
					{ name: 'MMS Message', value: 'mms', description: 'A picture message with text' },
					{ name: 'SMS', value: 'sms', description: 'A text message' },
				],
				default: 'sms',
				description: 'What to send or look up',
			},
			...sms.description,
			...mms.description,
			...edm.description,
			...account.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
