import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import bankOpenApiYaml from '../../bank/openapi.yaml';
import openApiYaml from '../../openapi.yaml';
import { en, fr } from '../../static-site/src/messages';
import { panelEn, panelFr } from '../../static-site/src/panel-messages';

/**
 * The web site's two dictionaries (static-site/src/messages.ts): every string a user can see exists in
 * French and in English, with the same {placeholders}; every key the code names exists; every error code
 * the two API documents list has its own translation, so an English page never shows a French server
 * message for a documented code.
 */
const siteSources = path.join(__dirname, '../../static-site/src');
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

/** Every `code` value a schema of the document names (`enum` or `const` of a property called code). */
function documentedCodes(node: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) {
    for (const item of node) documentedCodes(item, found);
  } else if (typeof node === 'object' && node !== null) {
    const record = node as Record<string, unknown>;
    const code = (record['properties'] as Record<string, { enum?: unknown[]; const?: unknown }> | undefined)?.['code'];
    for (const value of [...(code?.enum ?? []), ...(code?.const !== undefined ? [code.const] : [])]) {
      if (typeof value === 'string') found.add(value);
    }
    for (const value of Object.values(record)) documentedCodes(value, found);
  }
  return found;
}

describe('the site dictionaries', () => {
  it('hold the same keys in French and in English', () => {
    // Prepare
    const frKeys = Object.keys(fr).sort();
    const enKeys = Object.keys(en).sort();

    // Assess
    expect(frKeys.filter((key) => !enKeys.includes(key))).toEqual([]);
    expect(enKeys.filter((key) => !frKeys.includes(key))).toEqual([]);
  });

  it('give every key a non-empty text with the same placeholders in both languages', () => {
    for (const key of Object.keys(fr) as (keyof typeof fr)[]) {
      expect({ key, fr: fr[key].trim() !== '', en: (en[key] ?? '').trim() !== '' }).toEqual({ key, fr: true, en: true });
      expect({ key, placeholders: placeholders(en[key] ?? '') }).toEqual({ key, placeholders: placeholders(fr[key]) });
    }
  });

  it('hold every key the site code asks for by name', () => {
    // Prepare
    const sources = readdirSync(siteSources)
      .filter((name) => name.endsWith('.ts') && name !== 'messages.ts')
      .map((name) => readFileSync(path.join(siteSources, name), 'utf8'));
    const named = sources.flatMap((source) => [...source.matchAll(/\bt\(\s*'([^']+)'/g)].map((match) => match[1] ?? ''));

    // Assess
    expect(named.length).toBeGreaterThan(50);
    expect(named.filter((key) => !Object.hasOwn(fr, key) || !Object.hasOwn(en, key))).toEqual([]);
  });

  it('hold the panel’s own strings (panel-messages.ts) in both languages, with the same placeholders, and every key the panel asks for', () => {
    // Prepare
    const sources = readdirSync(siteSources)
      .filter((name) => name.endsWith('.ts') && name !== 'panel-messages.ts')
      .map((name) => readFileSync(path.join(siteSources, name), 'utf8'));
    const named = sources.flatMap((source) => [...source.matchAll(/\bpt\(\s*'([^']+)'/g)].map((match) => match[1] ?? ''));
    const lessonKeys = sources.flatMap((source) => [...source.matchAll(/\b(?:text|title|intro): '(lesson\.[^']+)'/g)].map((match) => match[1] ?? ''));

    // Assess
    expect(Object.keys(panelEn).sort()).toEqual(Object.keys(panelFr).sort());
    for (const key of Object.keys(panelFr) as (keyof typeof panelFr)[]) {
      expect({ key, fr: panelFr[key].trim() !== '', en: panelEn[key].trim() !== '' }).toEqual({ key, fr: true, en: true });
      expect({ key, placeholders: placeholders(panelEn[key]) }).toEqual({ key, placeholders: placeholders(panelFr[key]) });
    }
    expect(named.length).toBeGreaterThan(30);
    expect(lessonKeys.length).toBeGreaterThan(20);
    expect([...named, ...lessonKeys].filter((key) => !Object.hasOwn(panelFr, key))).toEqual([]);
  });

  it('translate every error code openapi.yaml and bank/openapi.yaml document', () => {
    // Prepare
    const codes = [...documentedCodes(openApiYaml), ...documentedCodes(bankOpenApiYaml)];

    // Assess
    expect(codes.length).toBeGreaterThan(20);
    expect(codes.filter((code) => !Object.hasOwn(fr, `code.${code}`) || !Object.hasOwn(en, `code.${code}`))).toEqual([]);
  });
});
