import type { Envelope } from '../envelope';
import type { SandboxStore } from '../store';

export interface SandboxContext {
	store: SandboxStore;
	senderRequiredCountryCodes: ReadonlySet<string>;
}

export interface V1Input {
	body: unknown;
	query: Record<string, string>;
}

export interface V1Route {
	method: 'GET' | 'POST';
	/** Relative to /v1. */
	path: string;
	handle: (input: V1Input, context: SandboxContext) => Envelope;
}
