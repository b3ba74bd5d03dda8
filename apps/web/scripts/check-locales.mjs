// Fails the build when a language misses a namespace or a key that English has (or has one English lacks).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../src/locales');
const keys = (obj, prefix = '') =>
  Object.entries(obj).flatMap(([k, v]) => (v && typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
const load = (lang) =>
  Object.fromEntries(
    fs
      .readdirSync(path.join(dir, lang))
      .filter((f) => f.endsWith('.json'))
      .map((f) => [f, new Set(keys(JSON.parse(fs.readFileSync(path.join(dir, lang, f), 'utf8'))))]),
  );

const [base, ...others] = fs.readdirSync(dir).sort((a, b) => (a === 'en' ? -1 : b === 'en' ? 1 : a.localeCompare(b)));
const en = load(base);
const problems = [];
for (const lang of others) {
  const other = load(lang);
  for (const file of new Set([...Object.keys(en), ...Object.keys(other)])) {
    const a = en[file] ?? new Set();
    const b = other[file] ?? new Set();
    for (const k of a) if (!b.has(k)) problems.push(`${lang}/${file}: missing ${k}`);
    for (const k of b) if (!a.has(k)) problems.push(`${lang}/${file}: ${k} is not in ${base}/${file}`);
  }
}
if (problems.length) {
  console.error(`Locale files differ:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
