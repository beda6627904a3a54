import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

export type ItemHandler = (this: IExecuteFunctions, itemIndex: number) => Promise<IDataObject>;

// n8n sends an item to the error output only when its json holds no keys but these three.
function errorItem(
	error: NodeApiError | NodeOperationError,
	itemIndex: number,
): INodeExecutionData {
	const json: IDataObject = { error: error.message };
	if (error.description) json.details = error.description;
	return { json, pairedItem: { item: itemIndex } };
}

/**
 * Runs one handler per input item, one request each. A failed item stops the node unless
 * "Continue On Fail" is set; then it becomes an error item in its place and the rest still run.
 */
export async function runForEachItem(
	this: IExecuteFunctions,
	handler: ItemHandler,
): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const output: INodeExecutionData[] = [];
	// n8n runs a usableAsTool node for an AI agent under the type name with "Tool" appended.
	const runsAsTool = this.getNode().type.endsWith('Tool');

	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const json = await handler.call(this, itemIndex);
			output.push({ json, pairedItem: { item: itemIndex } });
		} catch (caught) {
			const error =
				caught instanceof NodeApiError || caught instanceof NodeOperationError
					? caught
					: new NodeOperationError(this.getNode(), caught as Error, { itemIndex });
			error.context.itemIndex = itemIndex;
			if (runsAsTool) {
				// An AI agent is handed the message alone, so it must also say what to change.
				if (error.description) error.message = `${error.message}. ${error.description}`;
			} else {
				// Items are counted from 1 here, as people count the rows of a sheet.
				const position = `Item ${itemIndex + 1} of ${items.length}.`;
				if (!error.description?.startsWith(position)) {
					error.description = [position, error.description].filter(Boolean).join(' ');
				}
			}

			if (!this.continueOnFail()) throw error;
			output.push(errorItem(error, itemIndex));
		}
	}

	return output;
}
