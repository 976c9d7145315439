/**
 * The PowerShell grammar gate: parses scripts with tree-sitter-powershell (wasm, through
 * web-tree-sitter) and walks the syntax tree for errors, command names and arguments.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Language, Parser, type Node, type Tree } from 'web-tree-sitter';

let parser: Parser | undefined;

export async function powershellParser(): Promise<Parser> {
  if (parser) return parser;
  await Parser.init();
  const require = createRequire(import.meta.url);
  const wasm = join(dirname(require.resolve('tree-sitter-powershell/package.json')), 'tree-sitter-powershell.wasm');
  const language = await Language.load(wasm);
  parser = new Parser();
  parser.setLanguage(language);
  return parser;
}

export async function parsePowerShell(text: string): Promise<Tree> {
  const tree = (await powershellParser()).parse(text);
  if (!tree) throw new Error('tree-sitter returned no tree');
  return tree;
}

function* walk(node: Node): Generator<Node> {
  yield node;
  for (const child of node.children) if (child) yield* walk(child);
}

export function nodes(tree: Tree): Node[] {
  return [...walk(tree.rootNode)];
}

/** ERROR and MISSING nodes, as `line:col type text`. */
export function syntaxProblems(tree: Tree): string[] {
  return nodes(tree)
    .filter((n) => n.type === 'ERROR' || n.isError || n.isMissing)
    .map((n) => `${n.startPosition.row + 1}:${n.startPosition.column + 1} ${n.isMissing ? 'MISSING' : 'ERROR'} ${n.text.slice(0, 60)}`);
}

export interface CommandUse {
  name: string;
  /** Invoked with & on a variable or expression (a script path). */
  dynamic: boolean;
  /** Element nodes after the name, separators dropped. */
  elements: Node[];
  line: number;
}

export function commands(tree: Tree): CommandUse[] {
  return nodes(tree)
    .filter((n) => n.type === 'command')
    .map((n) => {
      const nameNode = n.childForFieldName('command_name');
      const elementsNode = n.childForFieldName('command_elements');
      const elements = (elementsNode?.children ?? []).filter((c): c is Node => !!c && c.type !== 'command_argument_sep');
      const plain = nameNode?.type === 'command_name';
      const inner = nameNode?.type === 'command_name_expr' ? nameNode.children.find((c) => c?.type === 'command_name') : undefined;
      return {
        name: plain ? nameNode!.text : inner ? inner.text : (nameNode?.text ?? ''),
        dynamic: !plain && !inner,
        elements,
        line: n.startPosition.row + 1,
      };
    });
}
