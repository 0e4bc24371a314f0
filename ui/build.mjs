// Builds the web application for the gateway's --ui_dir: one JavaScript bundle and one
// stylesheet (esbuild, minified, every npm dependency inside), named by their content hash so
// they can be cached for a year, and index.html pointing at them.
//
//   node ui/build.mjs --out build/dev/webui
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const outIndex = process.argv.indexOf('--out');
if (outIndex < 0 || !process.argv[outIndex + 1]) {
  console.error('usage: node ui/build.mjs --out DIR');
  process.exit(2);
}
const out = process.argv[outIndex + 1];

const result = await build({
  entryPoints: [join(here, 'src/main.js'), join(here, 'src/styles.css')],
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2020'],
  legalComments: 'none',
  write: false,
  outdir: 'out',
  logLevel: 'warning',
});

const hashed = (text, ext) =>
  `app-${createHash('sha256').update(text).digest('hex').slice(0, 16)}.${ext}`;
let js;
let css;
for (const file of result.outputFiles) {
  if (file.path.endsWith('.js')) js = file.text;
  else if (file.path.endsWith('.css')) css = file.text;
}
const jsName = hashed(js, 'js');
const cssName = hashed(css, 'css');

// Only what this script writes is replaced (never the whole directory it is pointed at).
rmSync(join(out, 'assets'), { recursive: true, force: true });
mkdirSync(join(out, 'assets'), { recursive: true });
writeFileSync(join(out, 'assets', jsName), js);
writeFileSync(join(out, 'assets', cssName), css);
const icon = readFileSync(join(here, 'src/icon.svg'), 'utf8');
const iconName = hashed(icon, 'svg');
writeFileSync(join(out, 'assets', iconName), icon);
const index = readFileSync(join(here, 'index.html'), 'utf8')
  .replace('{{css}}', `/assets/${cssName}`)
  .replace('{{js}}', `/assets/${jsName}`)
  .replace('{{icon}}', `/assets/${iconName}`);
writeFileSync(join(out, 'index.html'), index);
console.log(`ui: ${out}/assets/${jsName} (${js.length} bytes), ${cssName} (${css.length} bytes)`);
