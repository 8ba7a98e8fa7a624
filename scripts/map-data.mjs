// Writes seeds/maps/uzbekistan.json from the npm package @svg-maps/uzbekistan
// (CC BY 4.0, Victor Cazanave's svg-maps; Uzbekistan drawn by Abduvali
// Mamajonov): the 14 first-level units as SVG paths, keyed by SOATO code.
//   node scripts/map-data.mjs            writes the file
//   node scripts/map-data.mjs --check    exits 1 if the file differs
import { readFileSync, writeFileSync } from 'fs';
import { createRequire } from 'module';
import { fileURLToPath } from 'url';
import { dirname, join } from 'path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'end2end', 'package.json'));
const pkgDir = dirname(require.resolve('@svg-maps/uzbekistan/package.json'));
const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
// index.js is an ES module with one default export of plain data.
const source = readFileSync(join(pkgDir, 'index.js'), 'utf8').replace(/^export default /, '');
const map = JSON.parse(source.trim().replace(/;$/, ''));

// The package's ids → SOATO. Two locations are called "tashkent": the
// small one is the city (1726), the large one the region (1727).
const soato = {
  andijan: '1703', bukhara: '1706', jizzakh: '1708', qashqadaryo: '1710',
  navoiy: '1712', namangan: '1714', samarqand: '1718', surxondaryo: '1722',
  sirdaryo: '1724', fergana: '1730', xorazm: '1733', karakalpakstan: '1735',
};
const tashkents = map.locations.filter((l) => l.id === 'tashkent')
  .sort((a, b) => a.path.length - b.path.length);
const regions = [];
for (const l of map.locations) {
  let code = soato[l.id];
  if (l.id === 'tashkent') code = l === tashkents[0] ? '1726' : '1727';
  if (!code) continue; // the Aral Sea is drawn, not rated
  regions.push({ soato: code, name: l.name, path: l.path });
}
const lake = map.locations.find((l) => l.id === 'aral-sea');
const out = {
  source: `${pkg.name}@${pkg.version}`,
  license: pkg.license,
  attribution: 'Map: svg-maps (Victor Cazanave), Uzbekistan by Abduvali Mamajonov, CC BY 4.0',
  view_box: map.viewBox,
  water: lake ? [lake.path] : [],
  regions: regions.sort((a, b) => a.soato.localeCompare(b.soato)),
};
const text = JSON.stringify(out, null, 1) + '\n';
const file = join(root, 'seeds', 'maps', 'uzbekistan.json');
if (process.argv.includes('--check')) {
  if (readFileSync(file, 'utf8') !== text) {
    console.error(`${file} differs from ${out.source}; run node scripts/map-data.mjs`);
    process.exit(1);
  }
} else {
  writeFileSync(file, text);
  console.log(`wrote ${file}: ${regions.length} regions from ${out.source}`);
}
