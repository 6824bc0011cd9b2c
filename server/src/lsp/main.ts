// Entry of the bundled language server (dist/server.js): started by the extension over IPC, or by any editor
// with --stdio (through `agentgraph lsp --stdio`).
import { startServer } from './server.ts';

startServer();
