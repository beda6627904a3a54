import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import tsParser from '@typescript-eslint/parser';
import { defineConfig, globalIgnores } from 'eslint/config';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';

// eslint-plugin-n8n-nodes-base 2.0.0 ships only eslintrc-style configs, so only their rule maps
// are taken here. The rules switched off below are the ones n8n's own community-package
// scanner switches off, so that this lint is never stricter or looser than that gate.
export default defineConfig([
	globalIgnores(['dist/', 'node_modules/', 'coverage/']),
	{
		// TypeScript's parser also reads JSON: package.json becomes the object expression that the
		// package.json rules of both plugins walk.
		files: ['**/*.ts', '**/*.json'],
		languageOptions: { parser: tsParser },
	},
	n8nCommunityNodesPlugin.configs.recommended,
	{
		files: ['**/*.ts'],
		rules: { 'no-console': 'error' },
	},
	{
		plugins: { 'n8n-nodes-base': n8nNodesBase },
	},
	{
		files: ['package.json'],
		rules: n8nNodesBase.configs.community.rules,
	},
	{
		files: ['credentials/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			// Community credentials link to their own documentation by full URL.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
			// Covered more precisely by @n8n/community-nodes/credential-password-field.
			'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			// Inputs and outputs are written with the NodeConnectionTypes enum, not the string 'main'.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			// A maxValue that mirrors a documented API limit is legitimate.
			'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
		},
	},
]);
