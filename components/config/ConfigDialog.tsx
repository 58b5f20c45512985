'use client';

import { type ReactNode, useEffect, useId, useRef } from 'react';

export interface ConfigDialogProps {
  open: boolean;
  title: string;
  children: ReactNode;
  /** Escape or the close button */
  onClose: () => void;
}

/** A modal `<dialog>`: focus moves in and back, Escape closes, the title names it. */
export function ConfigDialog({ open, title, children, onClose }: ConfigDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);
  return (
    <dialog
      ref={dialog}
      className="config-dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      {open && children}
    </dialog>
  );
}
