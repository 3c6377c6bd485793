#!/usr/bin/env node
// Clearance's payload checks. Usage: node check.js slack|teams DIR_OR_FILE...
// Prints "OK <file>" for each file that passed and "FAIL <file>: <reason>" for each problem.
// Exit code: 0 all passed, 1 a file failed, 2 usage or setup error.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

function files(args) {
  const out = [];
  for (const a of args) {
    const st = fs.statSync(a);
    if (st.isDirectory()) {
      for (const f of fs.readdirSync(a).sort()) {
        if (f.endsWith('.json')) out.push(path.join(a, f));
      }
    } else {
      out.push(a);
    }
  }
  return out;
}

function report(results) {
  let failed = false;
  for (const [file, problems] of results) {
    if (problems.length === 0) {
      console.log('OK ' + file);
    } else {
      failed = true;
      for (const p of problems) console.log('FAIL ' + file + ': ' + p);
    }
  }
  return failed ? 1 : 0;
}

// ---------------------------------------------------------------- Teams

function teams(paths) {
  // the dist bundle is CommonJS; lib/ is ES modules without extensions, which Node cannot resolve
  const AC = require('adaptivecards/dist/adaptivecards.js');
  const results = new Map();
  for (const file of paths) {
    const problems = [];
    let json;
    try {
      json = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      results.set(file, ['not JSON: ' + e.message]);
      continue;
    }
    // an invoke response or an attachment wraps the card
    const card = json && json.type === 'application/vnd.microsoft.card.adaptive' && json.value ? json.value
      : json && json.contentType === 'application/vnd.microsoft.card.adaptive' ? json.content : json;
    if (!card || card.type !== 'AdaptiveCard') problems.push('not an AdaptiveCard (type is ' + (card && card.type) + ')');
    if (!card || !card.version) problems.push('card has no version');
    else if (Number(card.version) > 1.5) problems.push('version ' + card.version + ' is newer than Teams supports (1.5)');
    const ctx = new AC.SerializationContext(AC.Versions.v1_5);
    const parsed = new AC.AdaptiveCard();
    parsed.parse(card, ctx);
    for (let i = 0; i < ctx.eventCount; i++) problems.push('parse: ' + ctx.getEventAt(i).message);
    for (const e of parsed.validateProperties().validationEvents) problems.push('validate: ' + e.message);
    walk(card, '$', problems);
    results.set(file, problems);
  }
  return report(results);
}

/** What the library accepts silently but Teams would show wrongly, or drop. */
function walk(node, where, problems) {
  if (Array.isArray(node)) {
    node.forEach((n, i) => walk(n, where + '[' + i + ']', problems));
    return;
  }
  if (!node || typeof node !== 'object') return;
  const t = node.type;
  if (t === 'TextBlock' && (typeof node.text !== 'string' || node.text.length === 0)) problems.push(where + ': TextBlock without text');
  if (t === 'Action.Execute' && !node.verb) problems.push(where + ': Action.Execute without verb');
  if (typeof t === 'string' && t.startsWith('Input.')) {
    if (!node.id) problems.push(where + ': input without id');
    if (!node.label) problems.push(where + ': input without label (screen readers announce nothing)');
    if (node.isRequired && !node.errorMessage) problems.push(where + ': required input without errorMessage');
  }
  if (t === 'Input.ChoiceSet' && (!Array.isArray(node.choices) || node.choices.length === 0)) problems.push(where + ': ChoiceSet without choices');
  if (node.refresh) {
    const ids = node.refresh.userIds;
    if (ids !== undefined && (!Array.isArray(ids) || ids.length > 60)) problems.push(where + '.refresh.userIds: at most 60 user ids');
    if (!node.refresh.action || node.refresh.action.type !== 'Action.Execute') problems.push(where + '.refresh.action must be an Action.Execute');
  }
  if (Array.isArray(node.actions) && node.actions.length > 5) problems.push(where + '.actions: more than 5 actions are not shown');
  for (const [k, v] of Object.entries(node)) {
    if (v && typeof v === 'object') walk(v, where + '.' + k, problems);
  }
}

// ---------------------------------------------------------------- Slack

// Block Kit limits from Slack's reference (docs.slack.dev/reference/block-kit), which the types cannot express.
const MAX = {
  messageBlocks: 50, viewBlocks: 100, viewTitle: 24, viewButton: 24, privateMetadata: 3000, callbackId: 255,
  text: 3000, sectionText: 3000, fields: 10, field: 2000, header: 150, actionsElements: 25, contextElements: 10,
  label: 2000, id: 255, buttonText: 75, buttonValue: 2000, options: 100, optionText: 75, optionValue: 150,
  placeholder: 150, inputLength: 3000,
};

function len(s) {
  return typeof s === 'string' ? [...s].length : 0;
}

function limits(payload, isView, problems) {
  const blocks = payload.blocks || [];
  if (blocks.length > (isView ? MAX.viewBlocks : MAX.messageBlocks)) problems.push('more than ' + (isView ? MAX.viewBlocks : MAX.messageBlocks) + ' blocks');
  if (isView) {
    if (len(payload.title && payload.title.text) > MAX.viewTitle) problems.push('view title over ' + MAX.viewTitle + ' characters');
    for (const b of ['submit', 'close']) {
      if (payload[b] && len(payload[b].text) > MAX.viewButton) problems.push('view ' + b + ' over ' + MAX.viewButton + ' characters');
    }
    if (len(payload.private_metadata) > MAX.privateMetadata) problems.push('private_metadata over 3000 characters');
    if (len(payload.callback_id) > MAX.callbackId) problems.push('callback_id over 255 characters');
    if (blocks.some(b => b.type === 'input') && !payload.submit) problems.push('a modal with inputs needs submit');
  }
  if (!isView && payload.text !== undefined && len(payload.text) > 40000) problems.push('text over 40000 characters');
  const blockIds = new Set();
  blocks.forEach((b, i) => {
    const at = 'blocks[' + i + ']';
    if (b.block_id !== undefined) {
      if (len(b.block_id) > MAX.id) problems.push(at + '.block_id over 255 characters');
      if (blockIds.has(b.block_id)) problems.push(at + ': duplicate block_id ' + b.block_id);
      blockIds.add(b.block_id);
    }
    textObject(b.text, at + '.text', b.type === 'header' ? MAX.header : MAX.sectionText, problems);
    if (b.type === 'section') {
      if (!b.text && !b.fields) problems.push(at + ': section needs text or fields');
      if (b.fields) {
        if (b.fields.length > MAX.fields) problems.push(at + '.fields: more than 10');
        b.fields.forEach((f, j) => textObject(f, at + '.fields[' + j + ']', MAX.field, problems));
      }
    }
    if (b.type === 'actions' && (b.elements || []).length > MAX.actionsElements) problems.push(at + ': more than 25 elements');
    if (b.type === 'context') {
      if ((b.elements || []).length > MAX.contextElements) problems.push(at + ': more than 10 elements');
      (b.elements || []).forEach((e, j) => textObject(e.type === 'image' ? null : e, at + '.elements[' + j + ']', MAX.text, problems));
    }
    if (b.type === 'input') {
      textObject(b.label, at + '.label', MAX.label, problems);
      element(b.element, at + '.element', problems);
    }
    const actionIds = new Set();
    for (const e of b.elements || (b.accessory ? [b.accessory] : [])) {
      element(e, at + '.elements', problems);
      if (e.action_id !== undefined) {
        if (actionIds.has(e.action_id)) problems.push(at + ': duplicate action_id ' + e.action_id);
        actionIds.add(e.action_id);
      }
    }
  });
}

function textObject(t, at, max, problems) {
  if (!t || typeof t !== 'object') return;
  if (len(t.text) < 1) problems.push(at + ': empty text');
  if (len(t.text) > Math.min(max, MAX.text)) problems.push(at + ': text over ' + Math.min(max, MAX.text) + ' characters');
}

function element(e, at, problems) {
  if (!e || typeof e !== 'object') return;
  if (e.action_id !== undefined && len(e.action_id) > MAX.id) problems.push(at + '.action_id over 255 characters');
  if (e.type === 'button') {
    if (len(e.text && e.text.text) > MAX.buttonText) problems.push(at + ': button text over 75 characters');
    if (len(e.value) > MAX.buttonValue) problems.push(at + ': button value over 2000 characters');
  }
  if (e.placeholder && len(e.placeholder.text) > MAX.placeholder) problems.push(at + ': placeholder over 150 characters');
  if (e.type === 'plain_text_input') {
    if (e.max_length !== undefined && (e.max_length < 1 || e.max_length > MAX.inputLength)) problems.push(at + ': max_length must be 1..3000');
    if (e.initial_value !== undefined && len(e.initial_value) > MAX.inputLength) problems.push(at + ': initial_value over 3000 characters');
  }
  if (e.options) {
    if (e.options.length > MAX.options) problems.push(at + ': more than 100 options');
    if (e.option_groups) problems.push(at + ': options and option_groups together');
    for (const o of e.options) {
      if (len(o.text && o.text.text) > MAX.optionText) problems.push(at + ': option text over 75 characters');
      if (len(o.value) > MAX.optionValue) problems.push(at + ': option value over 150 characters');
    }
  }
}

function slack(paths) {
  const results = new Map();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clearance-slack-check-'));
  const sources = new Map();
  paths.forEach((file, i) => {
    const problems = [];
    results.set(file, problems);
    let json;
    try {
      json = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      problems.push('not JSON: ' + e.message);
      return;
    }
    const payload = json.view ? (typeof json.view === 'string' ? JSON.parse(json.view) : json.view) : json;
    const isView = payload.type === 'modal' || payload.type === 'home';
    const type = isView ? (payload.type === 'modal' ? 'ModalView' : 'HomeView') : 'Message';
    const ts = 'p' + i + '.ts';
    fs.writeFileSync(path.join(dir, ts),
      "import type { KnownBlock, ModalView, HomeView } from '@slack/types';\n" +
      'type Message = { text?: string; blocks?: KnownBlock[]; response_type?: "ephemeral" | "in_channel"; ' +
      'replace_original?: boolean; metadata?: { event_type: string; event_payload: Record<string, unknown> } };\n' +
      'export const payload: ' + type + ' = ' + JSON.stringify(payload, null, 1) + ';\n');
    sources.set(ts, file);
    limits(payload, isView, problems);
  });
  if (sources.size > 0) {
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, target: 'es2022', module: 'preserve', moduleResolution: 'bundler',
        typeRoots: [], types: [], paths: { '@slack/types': [path.join(__dirname, 'node_modules/@slack/types')] },
        skipLibCheck: true },
      files: [...sources.keys()],
    }));
    const tsc = spawnSync(process.execPath, [path.join(__dirname, 'node_modules/typescript/bin/tsc'), '-p', dir], { encoding: 'utf8' });
    for (const line of (tsc.stdout + tsc.stderr).split('\n')) {
      const m = line.match(/(?:^|[\\/])(p\d+\.ts)\((\d+),(\d+)\): error (TS\d+: .*)$/);
      if (m && sources.has(m[1])) {
        results.get(sources.get(m[1])).push('types: ' + m[4] + ' (line ' + (Number(m[2]) - 2) + ')');
      } else if (/error TS/.test(line)) {
        console.error(line);
        return 2;
      }
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return report(results);
}

const [mode, ...args] = process.argv.slice(2);
if (!['slack', 'teams'].includes(mode) || args.length === 0) {
  console.error('usage: node check.js slack|teams DIR_OR_FILE...');
  process.exit(2);
}
process.exit(mode === 'slack' ? slack(files(args)) : teams(files(args)));
