import { fail, ok, type Envelope } from '../envelope';
import type { Channel } from '../store';
import { isIsoDate } from '../validation';
import type { SandboxContext, V1Input } from './route';

export function usageReport(channel: Channel) {
	return ({ query }: V1Input, { store }: SandboxContext): Envelope => {
		const { date_from: dateFrom, date_to: dateTo } = query;
		if (!dateFrom) return fail('Missing date_from');
		if (!isIsoDate(dateFrom)) return fail('Invalid date_from');
		if (!dateTo) return fail('Missing date_to');
		if (!isIsoDate(dateTo)) return fail('Invalid date_to');
		if (dateTo < dateFrom) return fail('Invalid date_to: it is earlier than date_from');

		const usage = store.usage(channel, dateFrom, dateTo);

		// The API names the count sms_count for MMS reports too.
		return ok({
			date_from: dateFrom,
			date_to: dateTo,
			sms_count: String(usage.count),
			points_used: String(usage.pointsUsed),
		});
	};
}
