// Parse the Mermaid diagram on standard input with Mermaid's own parser, as GitHub's
// renderer does before drawing it. Exit 0 and print the diagram type, or exit 1 and
// print Mermaid's error. Mermaid's sanitiser (DOMPurify) needs a DOM: jsdom gives it one.
import { JSDOM } from "jsdom";

const { window } = new JSDOM("");
globalThis.window = window;
globalThis.document = window.document;
const { default: mermaid } = await import("mermaid");

let source = "";
for await (const chunk of process.stdin) source += chunk;
try {
  const result = await mermaid.parse(source);
  console.log(result.diagramType);
} catch (error) {
  console.error(String(error?.message ?? error));
  process.exit(1);
}
