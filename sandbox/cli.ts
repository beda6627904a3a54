import { parseArgs } from 'node:util';

import { parseCallbackOptions, type CallbackOptions } from './callbacks';
import { DEFAULT_SANDBOX_API_KEY, startSandbox } from './server';

const USAGE = [
	'Usage: npx tsx sandbox/cli.ts [--port 4010] [--api-key KEY] [--points N] [--quota N]',
	'  [--callback-url URL] [--callback-style json|form|get] [--callback-delay MS]',
	'  [--callback-repeat N] [--callback-outcome delivered|undelivered|rejected:insufficient|...]',
].join('\n');

function wholeNumber(name: string, text: string | undefined, fallback: number): number {
	if (text === undefined) return fallback;
	if (!/^\d+$/.test(text)) throw new Error(`--${name} must be a whole number, got "${text}"`);
	return Number(text);
}

function optionalWholeNumber(name: string, text: string | undefined): number | undefined {
	return text === undefined ? undefined : wholeNumber(name, text, 0);
}

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			port: { type: 'string' },
			'api-key': { type: 'string' },
			points: { type: 'string' },
			quota: { type: 'string' },
			'callback-url': { type: 'string' },
			'callback-style': { type: 'string' },
			'callback-delay': { type: 'string' },
			'callback-repeat': { type: 'string' },
			'callback-outcome': { type: 'string' },
			help: { type: 'boolean', short: 'h' },
		},
	});
	if (values.help) {
		console.log(USAGE);
		return;
	}

	const port = wholeNumber('port', values.port, 4010);
	if (port > 65535) throw new Error('--port must be at most 65535');

	const style = values['callback-style'] ?? 'json';
	const callbacks: CallbackOptions = parseCallbackOptions({
		url: values['callback-url'],
		style,
		delayMs: optionalWholeNumber('callback-delay', values['callback-delay']),
		repeat: optionalWholeNumber('callback-repeat', values['callback-repeat']),
		outcome: values['callback-outcome'],
	});

	const sandbox = await startSandbox({
		port,
		apiKeys: [values['api-key'] ?? DEFAULT_SANDBOX_API_KEY],
		points: wholeNumber('points', values.points, 10000),
		quota: wholeNumber('quota', values.quota, 5000),
		callbacks,
	});
	console.log(`X Lead Connect sandbox listening on ${sandbox.url} (API key: ${sandbox.apiKey})`);
	// The origin only: a callback path or query string may carry the receiver's secret.
	if (callbacks.url !== undefined) {
		console.log(`Delivery callbacks go to ${new URL(callbacks.url).origin} (${style})`);
	}

	const stop = () => {
		sandbox.close().then(
			() => process.exit(0),
			(error: unknown) => {
				console.error(error);
				process.exit(1);
			},
		);
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	console.error(USAGE);
	process.exit(1);
});
