import type { CompletionContext, CompletionResult } from '@codemirror/autocomplete';
import { schemaCompletions } from '@/lib/istio-config/schema-completion';
import { yamlContextAt } from '@/lib/istio-config/yaml-context';

/** A CodeMirror completion source offering the fields and values the CRD schema allows at the cursor. */
export function yamlSchemaCompletion(schema: Record<string, unknown>) {
  return (context: CompletionContext): CompletionResult | null => {
    const yamlContext = yamlContextAt(context.state.doc.toString(), context.pos);
    const items = schemaCompletions(schema, yamlContext);
    if (items.length === 0) return null;
    // Typing a key or value word by word; a completion started on a blank line waits to be asked.
    if (!context.explicit && yamlContext.prefix === '' && yamlContext.position === 'key') return null;
    return {
      from: yamlContext.from,
      options: items.map((item) => ({
        label: item.label,
        type: item.kind === 'property' ? 'property' : 'enum',
        detail: item.detail,
        ...(item.info ? { info: item.info } : {}),
        apply: item.apply,
      })),
      validFor: /^[\w.-]*$/,
    };
  };
}
