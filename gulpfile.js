const { src, dest } = require('gulp');

// tsc emits only JavaScript; n8n also reads the icons and each node's codex file from dist.
const assets = ['nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}', 'nodes/**/*.node.json'];

function buildIcons() {
	// gulp 5 decodes files as UTF-8 by default, which would corrupt PNG icons.
	return src(assets, { base: '.', encoding: false }).pipe(dest('dist'));
}

exports['build:icons'] = buildIcons;
