import { CallbackDispatcher, isRejected, type CallbackOptions } from './callbacks';
import { fail, ok, type Envelope } from './envelope';
import { FaultQueue } from './faults';
import type { RecordedRequest, SandboxState, SentMessage } from './server';

export type Channel = SentMessage['channel'];

export interface Balances {
	points: number;
	quota: number;
}

export interface Usage {
	count: number;
	pointsUsed: number;
}

const FIRST_REF_ID = 145737475;
const HONG_KONG_OFFSET_MS = 8 * 60 * 60 * 1000;

export class SandboxStore {
	readonly requests: RecordedRequest[] = [];

	readonly state: SandboxState;

	readonly callbacks: CallbackDispatcher;

	readonly faults = new FaultQueue();

	private nextRefId = FIRST_REF_ID;

	constructor(
		private readonly start: Balances,
		callbackOptions: CallbackOptions = {},
	) {
		this.state = { points: start.points, quota: start.quota, sends: [] };
		this.callbacks = new CallbackDispatcher(callbackOptions);
	}

	/**
	 * The single point where a valid send draws down a balance and gets its ref_id. `recipient`
	 * (the mobile as sent, or the email address) picks the callback outcome.
	 */
	acceptSend(channel: Channel, cost: Balances, recipient?: string): Envelope {
		if (cost.points > this.state.points) return fail('Insufficient points');
		if (cost.quota > this.state.quota) return fail('Insufficient quota');

		// The API acknowledges first and rejects later, in the send request report: such a send
		// gets its ref_id but draws nothing and is no sent message.
		const outcome = this.callbacks.outcomeFor(recipient);
		if (isRejected(outcome)) {
			const refId = String(this.nextRefId++);
			this.callbacks.schedule(channel, refId, outcome);
			return ok({ ref_id: refId });
		}

		this.state.points -= cost.points;
		this.state.quota -= cost.quota;
		const sent: SentMessage = {
			channel,
			refId: String(this.nextRefId++),
			sentAt: new Date().toISOString(),
			pointsUsed: cost.points,
			quotaUsed: cost.quota,
		};
		this.state.sends.push(sent);
		this.callbacks.schedule(channel, sent.refId, outcome);

		return ok({ ref_id: sent.refId });
	}

	/** Counts sends whose Hong Kong calendar date lies within dateFrom..dateTo, both included. */
	usage(channel: Channel, dateFrom: string, dateTo: string): Usage {
		const usage: Usage = { count: 0, pointsUsed: 0 };
		for (const sent of this.state.sends) {
			if (sent.channel !== channel) continue;
			const date = hongKongDate(sent.sentAt);
			if (date === undefined || date < dateFrom || date > dateTo) continue;
			usage.count += 1;
			usage.pointsUsed += sent.pointsUsed;
		}
		return usage;
	}

	// Mutates in place: callers hold references to `requests` and `state`.
	reset(): void {
		this.requests.length = 0;
		this.state.sends.length = 0;
		this.state.points = this.start.points;
		this.state.quota = this.start.quota;
		this.nextRefId = FIRST_REF_ID;
		this.callbacks.reset();
		this.faults.clear();
	}
}

function hongKongDate(isoTime: string): string | undefined {
	const time = Date.parse(isoTime);
	if (Number.isNaN(time)) return undefined;
	return new Date(time + HONG_KONG_OFFSET_MS).toISOString().slice(0, 10);
}
