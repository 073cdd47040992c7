// The c7gen extension: the TextMate grammar highlights (see package.json);
// everything else comes from `c7gen lsp`, started here for the workspace.
// Plain JavaScript, no build step; its one dependency, vscode-languageclient,
// is installed when the extension is packaged (see README.md).
'use strict';

const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration('c7gen').get('path') || 'c7gen';
  const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
  // c7gen finds c7gen.ini (and so the models directory) from where it runs.
  const options = folder ? { cwd: folder.uri.fsPath } : {};
  const server = { command, args: ['lsp'], transport: TransportKind.stdio, options };
  client = new LanguageClient('c7gen', 'c7gen', { run: server, debug: server }, {
    documentSelector: [{ language: 'c7' }],
  });
  context.subscriptions.push({ dispose: () => client && client.stop() });
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
