// End-to-end tests of `exchange-auth-lint server` through Microsoft's LSP
// protocol library (the one vscode-languageclient is built on).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  InitializeRequest,
  InitializedNotification,
  DidOpenTextDocumentNotification,
  DidChangeTextDocumentNotification,
  PublishDiagnosticsNotification,
  CodeActionRequest,
  HoverRequest,
  ShutdownRequest,
  ExitNotification,
  ConfigurationRequest,
  RegistrationRequest,
  WorkDoneProgressCreateRequest,
  ApplyWorkspaceEditRequest,
} from 'vscode-languageserver-protocol/node';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../../..');
const binary = process.env.EXCHANGE_AUTH_LINT_BIN || join(repo, 'target/debug/exchange-auth-lint');
const NC = 'force-app/main/default/namedCredentials/Exchange_Sync_Service.namedCredential-meta.xml';
const EI = 'force-app/main/default/settings/EmailIntegration.settings-meta.xml';
const PATIENCE = 60_000; // only a hang ever reaches it

/** Starts the server on a fresh copy of the demo project. */
async function start({ locale } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'eal-node-'));
  const root = join(dir, 'org');
  cpSync(join(repo, 'fixtures/demo-org'), root, { recursive: true });
  const proc = spawn(binary, ['server', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = createProtocolConnection(
    new StreamMessageReader(proc.stdout),
    new StreamMessageWriter(proc.stdin),
  );
  const published = [];
  const waiters = [];
  conn.onNotification(PublishDiagnosticsNotification.type, (params) => {
    published.push(params);
    for (const w of [...waiters]) {
      if (w.uri === params.uri && w.ok(params)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(params);
      }
    }
  });
  const settings = { asOf: '2026-11-24' };
  conn.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => settings));
  conn.onRequest(RegistrationRequest.type, () => null);
  conn.onRequest(WorkDoneProgressCreateRequest.type, () => null);
  conn.onRequest(ApplyWorkspaceEditRequest.type, () => ({ applied: false }));
  conn.listen();
  const rootUri = pathToFileURL(root).href;
  const init = await conn.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri,
    workspaceFolders: [{ uri: rootUri, name: 'org' }],
    locale,
    capabilities: {
      workspace: {
        configuration: true,
        workspaceEdit: { documentChanges: true },
        didChangeWatchedFiles: { dynamicRegistration: true },
      },
      textDocument: {
        publishDiagnostics: { relatedInformation: true, versionSupport: true },
        codeAction: {
          isPreferredSupport: true,
          codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } },
        },
        hover: { contentFormat: ['markdown'] },
      },
    },
  });
  await conn.sendNotification(InitializedNotification.type, {});
  const docs = new Map();
  const client = {
    init,
    root,
    uri: (rel) => pathToFileURL(join(root, rel)).href,
    text: (rel) => readFileSync(join(root, rel), 'utf8'),
    conn,
    published,
    /** Resolves with the first publishDiagnostics for `uri` that satisfies `ok`. */
    diagnostics(uri, ok = () => true) {
      const seen = published.find((p) => p.uri === uri && ok(p));
      if (seen) {
        published.splice(published.indexOf(seen), 1);
        return Promise.resolve(seen);
      }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching diagnostics for ${uri}`)), PATIENCE);
        waiters.push({ uri, ok, resolve: (p) => { clearTimeout(timer); resolve(p); } });
      });
    },
    async open(rel) {
      const uri = client.uri(rel);
      const doc = { uri, version: 1, text: client.text(rel) };
      docs.set(uri, doc);
      await conn.sendNotification(DidOpenTextDocumentNotification.type, {
        textDocument: { uri, languageId: 'xml', version: 1, text: doc.text },
      });
      return doc;
    },
    /** Applies LSP text edits to our copy and sends them as one change. */
    async edit(doc, edits) {
      const sorted = edits
        .map((e) => ({ ...e, s: offsetOf(doc.text, e.range.start), t: offsetOf(doc.text, e.range.end) }))
        .sort((a, b) => b.s - a.s);
      for (const e of sorted) doc.text = doc.text.slice(0, e.s) + e.newText + doc.text.slice(e.t);
      doc.version += 1;
      // Sent back to front, so each range is still valid when applied.
      await conn.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri: doc.uri, version: doc.version },
        contentChanges: sorted.map((e) => ({ range: e.range, text: e.newText })),
      });
    },
    async stop() {
      await conn.sendRequest(ShutdownRequest.type);
      await conn.sendNotification(ExitNotification.type);
      await new Promise((r) => proc.once('exit', r));
      conn.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return client;
}

/** UTF-16 offset (JavaScript string index) of an LSP position. */
function offsetOf(text, { line, character }) {
  let at = 0;
  for (let l = 0; l < line; l++) {
    const m = /\r\n|\r|\n/g;
    m.lastIndex = at;
    const found = m.exec(text);
    if (!found) return text.length;
    at = found.index + found[0].length;
  }
  const eol = text.slice(at).search(/\r|\n/);
  const lineLen = eol < 0 ? text.length - at : eol;
  return at + Math.min(character, lineLen);
}

function positionOf(text, offset) {
  const before = text.slice(0, offset);
  const lines = before.split(/\r\n|\r|\n/);
  return { line: lines.length - 1, character: lines[lines.length - 1].length };
}

const codes = (p) => p.diagnostics.map((d) => d.code);

test('diagnostics arrive for an opened file, with rule links', async () => {
  const c = await start();
  try {
    const doc = await c.open(NC);
    const p = await c.diagnostics(doc.uri, (p) => p.version === 1);
    assert.deepEqual(codes(p), ['EXO002', 'SEC001', 'EXO001']);
    const exo = p.diagnostics[2];
    assert.equal(exo.source, 'exchange-auth-lint');
    assert.match(exo.codeDescription.href, /docs\/rules\/EXO001\.md$/);
    assert.deepEqual(exo.range.start, positionOf(doc.text, doc.text.indexOf('<protocol>')));
    assert.ok(!JSON.stringify(p).includes('Winter2021!'), 'secret leaked');
  } finally {
    await c.stop();
  }
});

test('the disable quick fix edits the file and the diagnostic goes away', async () => {
  const c = await start();
  try {
    const doc = await c.open(NC);
    const p = await c.diagnostics(doc.uri, (p) => p.version === 1);
    const exo = p.diagnostics.find((d) => d.code === 'EXO001');
    const actions = await c.conn.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: doc.uri },
      range: exo.range,
      context: { diagnostics: [exo], only: ['quickfix'] },
    });
    const disable = actions.find((a) => a.title === 'Disable EXO001 for this element');
    assert.ok(disable, JSON.stringify(actions));
    assert.equal(disable.kind, 'quickfix');
    const change = disable.edit.documentChanges[0];
    assert.equal(change.textDocument.version, 1);
    await c.edit(doc, change.edits);
    assert.ok(
      doc.text.includes('    <!-- exchange-auth-lint-disable-next-line EXO001 -->\n    <protocol>Password</protocol>'),
      doc.text,
    );
    const after = await c.diagnostics(doc.uri, (p) => p.version === 2);
    assert.deepEqual(codes(after), ['EXO002', 'SEC001']);
  } finally {
    await c.stop();
  }
});

test('a real fix from the rule removes the committed secret', async () => {
  const c = await start();
  try {
    const doc = await c.open(NC);
    const p = await c.diagnostics(doc.uri, (p) => p.version === 1);
    const sec = p.diagnostics.find((d) => d.code === 'SEC001');
    const actions = await c.conn.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: doc.uri },
      range: sec.range,
      context: { diagnostics: [sec], only: ['quickfix'] },
    });
    const remove = actions.find((a) => a.title === 'Remove the secret');
    assert.ok(remove, JSON.stringify(actions.map((a) => a.title)));
    assert.equal(remove.isPreferred, true);
    // This client cannot create files: no fix that needs to is offered.
    // "Show documentation" is a command, not an edit.
    for (const a of actions.filter((a) => a.edit)) {
      for (const op of a.edit.documentChanges) assert.equal(op.kind, undefined, a.title);
    }
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes('Disable SEC001 for this file'), JSON.stringify(titles));
    const docs = actions.find((a) => a.title === 'Show documentation for SEC001');
    assert.equal(docs.kind, 'quickfix');
    assert.deepEqual(docs.command.arguments, ['SEC001']);
    assert.equal(docs.command.command, 'exchangeAuthLint.showDocumentation');
    await c.edit(doc, remove.edit.documentChanges[0].edits);
    assert.ok(!doc.text.includes('<password>'), doc.text);
    assert.ok(!doc.text.includes('Winter2021!'));
    assert.ok(doc.text.includes('<username>svc-lightningsync@contoso.com</username>'));
    const after = await c.diagnostics(doc.uri, (p) => p.version === 2);
    assert.ok(!codes(after).includes('SEC001'), JSON.stringify(codes(after)));
  } finally {
    await c.stop();
  }
});

test('editing a credential updates the settings file diagnostics', async () => {
  const c = await start();
  try {
    const ei = await c.open(EI);
    const before = await c.diagnostics(ei.uri, (p) => p.version === 1);
    assert.deepEqual(codes(before), ['LS001']);
    assert.equal(before.diagnostics[0].relatedInformation.length, 5);
    const nc = await c.open(NC);
    const at = nc.text.indexOf('<protocol>Password') + '<protocol>'.length;
    await c.edit(nc, [{
      range: { start: positionOf(nc.text, at), end: positionOf(nc.text, at + 'Password'.length) },
      newText: 'Oauth',
    }]);
    const after = await c.diagnostics(ei.uri, (p) => p.diagnostics[0]?.relatedInformation?.length === 4);
    assert.deepEqual(codes(after), ['LS001']);
    const ncAfter = await c.diagnostics(nc.uri, (p) => p.version === 2);
    assert.ok(!codes(ncAfter).includes('EXO001'));
  } finally {
    await c.stop();
  }
});

test('hover explains the rule and the field', async () => {
  const c = await start();
  try {
    const doc = await c.open(NC);
    await c.diagnostics(doc.uri, (p) => p.version === 1);
    const hover = await c.conn.sendRequest(HoverRequest.type, {
      textDocument: { uri: doc.uri },
      position: positionOf(doc.text, doc.text.indexOf('<protocol>') + 2),
    });
    assert.match(hover.contents.value, /^\*\*EXO001\*\*/);
    assert.match(hover.contents.value, /\*\*`protocol`\*\*/);
    // A card, not the manual: at most 12 lines, with the rule's page.
    assert.ok(hover.contents.value.split('\n').length <= 12, hover.contents.value);
    assert.match(hover.contents.value, /<https:\/\/\S+\/docs\/rules\/EXO001\.md>/);
    assert.doesNotMatch(hover.contents.value, /## What it does/);
  } finally {
    await c.stop();
  }
});

test('a Japanese locale gives Japanese messages', async () => {
  const c = await start({ locale: 'ja' });
  try {
    const doc = await c.open(EI);
    const p = await c.diagnostics(doc.uri, (p) => p.version === 1);
    assert.deepEqual(codes(p), ['LS001']);
    assert.match(p.diagnostics[0].message, /[\u3040-\u30ff]/);
  } finally {
    await c.stop();
  }
});
