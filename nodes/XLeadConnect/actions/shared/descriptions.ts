import type { INodeProperties } from 'n8n-workflow';

import type { PhoneChannel } from '../node.type';

const show = (resource: string, operation: string | string[]) => ({
	show: { resource: [resource], operation: Array.isArray(operation) ? operation : [operation] },
});

export const timeoutOption: INodeProperties = {
	displayName: 'Timeout',
	name: 'timeout',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 300 },
	default: 30,
	description:
		'How many seconds to wait for X Lead Connect to answer. A send that times out is not sent again, since it may have arrived.',
};

/** An Options collection holding just the timeout, for operations that have no other options. */
export function timeoutOnlyOptions(resource: string, operations: string[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		description: 'Settings that are rarely changed',
		displayOptions: show(resource, operations),
		options: [timeoutOption],
	};
}

export function recipientFields(resource: PhoneChannel): INodeProperties[] {
	return [
		{
			displayName: 'Country Code',
			name: 'countryCode',
			type: 'string',
			default: '852',
			placeholder: '852',
			description:
				'Calling code of the recipient\'s country without "+": 852 for Hong Kong, 886 for Taiwan. Leave empty when the Mobile Number is written with its country code, such as +852 9123 4567.',
			displayOptions: show(resource, 'send'),
		},
		{
			displayName: 'Mobile Number',
			name: 'mobile',
			type: 'string',
			required: true,
			default: '',
			placeholder: '91234567',
			description:
				"The number as the recipient's country writes it, keeping a leading zero (Taiwan: 0912345678), or the full international number such as +852 9123 4567 (then clear Country Code or make it match)",
			displayOptions: show(resource, 'send'),
		},
	];
}

export function phoneSendOptions(resource: PhoneChannel): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		description: 'Sender ID, the OFCA do-not-call choice and the timeout',
		displayOptions: show(resource, 'send'),
		options: [
			{
				displayName: 'Also Send to OFCA Do-Not-Call Registers',
				name: 'sendAlsoOfcaRegisters',
				type: 'boolean',
				default: false,
				description:
					"Whether to also deliver to numbers on Hong Kong OFCA's do-not-call registers. Turn on only when your compliance rules allow it.",
			},
			{
				displayName: 'Sender ID',
				name: 'sender',
				type: 'string',
				default: '',
				description:
					'The sender name or number the recipient sees. Some regions require one; leave empty elsewhere.',
			},
			timeoutOption,
		],
	};
}

export function usageReportFields(resource: PhoneChannel): INodeProperties[] {
	return [
		{
			displayName: 'From Date',
			name: 'dateFrom',
			type: 'dateTime',
			required: true,
			default: '',
			description:
				'First day of the report, such as 2026-12-01. Only the date counts, not the time.',
			displayOptions: show(resource, 'getUsageReport'),
		},
		{
			displayName: 'To Date',
			name: 'dateTo',
			type: 'dateTime',
			required: true,
			default: '',
			description:
				'Last day of the report, included, such as 2026-12-31. Only the date counts, not the time.',
			displayOptions: show(resource, 'getUsageReport'),
		},
		timeoutOnlyOptions(resource, ['getUsageReport']),
	];
}
