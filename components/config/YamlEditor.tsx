'use client';

import { yaml, yamlLanguage } from '@codemirror/lang-yaml';
import { type Diagnostic, lintGutter, setDiagnostics } from '@codemirror/lint';
import { Compartment, EditorState } from '@codemirror/state';
import { basicSetup, EditorView } from 'codemirror';
import { type Ref, useEffect, useImperativeHandle, useRef } from 'react';
import type { TextRange } from '@/lib/istio-config/yaml-ranges';
import { yamlSchemaCompletion } from './yamlSchemaCompletion';

export interface YamlEditorHandle {
  /** Selects `range`, scrolls it into view and focuses the editor. */
  reveal(range: TextRange): void;
}

export interface YamlEditorProps {
  /** the text when mounted; give the component a new `key` to start over with another text */
  initialText: string;
  /** accessible name of the text area */
  label: string;
  readOnly: boolean;
  /** the CRD schema completion reads; none until it has loaded */
  schema: Record<string, unknown> | undefined;
  /** markers: findings and syntax errors at their ranges */
  diagnostics: readonly Diagnostic[];
  onChange: (text: string) => void;
  ref?: Ref<YamlEditorHandle>;
}

/**
 * CodeMirror 6 with YAML, completion of the fields and enum values the CRD schema allows, and
 * markers the caller computes (findings at their paths, YAML syntax errors) with a gutter.
 */
export function YamlEditor({
  initialText,
  label,
  readOnly,
  schema,
  diagnostics,
  onChange,
  ref,
}: YamlEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const onChangeRef = useRef(onChange);
  const compartments = useRef({ readOnly: new Compartment(), completion: new Compartment() });
  onChangeRef.current = onChange;
  // What the view is created with; later changes are dispatched below, never by recreating it.
  const initial = useRef({ initialText, label, readOnly });

  useImperativeHandle(ref, () => ({
    reveal(range) {
      const current = view.current;
      if (!current) return;
      const length = current.state.doc.length;
      current.dispatch({
        selection: { anchor: Math.min(range.from, length), head: Math.min(range.to, length) },
        scrollIntoView: true,
      });
      current.focus();
    },
  }));

  useEffect(() => {
    if (!host.current) return;
    const { readOnly: readOnlyCompartment, completion } = compartments.current;
    const { initialText: doc, label: name, readOnly: locked } = initial.current;
    const created = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc,
        extensions: [
          basicSetup,
          yaml(),
          lintGutter(),
          readOnlyCompartment.of([EditorState.readOnly.of(locked), EditorView.editable.of(!locked)]),
          completion.of([]),
          EditorView.contentAttributes.of({ 'aria-label': name }),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) onChangeRef.current(update.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = created;
    return () => {
      created.destroy();
      view.current = null;
    };
  }, []);

  useEffect(() => {
    view.current?.dispatch({
      effects: compartments.current.readOnly.reconfigure([
        EditorState.readOnly.of(readOnly),
        EditorView.editable.of(!readOnly),
      ]),
    });
  }, [readOnly]);

  useEffect(() => {
    view.current?.dispatch({
      effects: compartments.current.completion.reconfigure(
        schema ? yamlLanguage.data.of({ autocomplete: yamlSchemaCompletion(schema) }) : [],
      ),
    });
  }, [schema]);

  useEffect(() => {
    const current = view.current;
    if (current) current.dispatch(setDiagnostics(current.state, diagnostics));
  }, [diagnostics]);

  return <div ref={host} className="yaml-editor" data-testid="yaml-editor" />;
}
