// Entry of the bundled language server (dist/server.js): started by the extension over IPC, or by any editor
// with --stdio (through `agentgraph lsp --stdio`).
import { setFlagsFromString } from 'node:v8';
import { startServer } from './server.ts';

// A server with hundreds of files open keeps little alive (about 30 MB of heap) but V8's default heuristics
// let the heap grow far past that between collections; favouring size keeps the process near what it uses.
setFlagsFromString('--optimize-for-size');
startServer();
