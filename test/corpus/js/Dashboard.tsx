// @ts-nocheck — corpus file: analysed by Shippi, not compiled (its imports are not installed).
// A TSX dashboard with generics, casts and optional chaining.
import { useEffect, useState } from 'react';
import type { FC } from 'react';

interface Widget<T = unknown> {
  id: string;
  title: string;
  body?: T;
}

const compare = <T,>(a: T, b: T): number => (a === b ? 0 : 1);

export const Dashboard: FC<{ widgets: Widget<string>[]; html: string }> = ({ widgets, html }) => {
  const [filter, setFilter] = useState<string>('');
  useEffect(() => {
    const el = document.querySelector<HTMLDivElement>('#summary');
    if (el) el.innerHTML = `<strong>${widgets.length}</strong> widgets`; // expect: xss.dom-sink
    if (el) el.textContent = `${widgets.length} widgets`;
  }, [widgets]);
  const visible = widgets.filter((w) => w.title.includes(filter));
  return (
    <main>
      <input value={filter} onChange={(e) => setFilter(e.target.value)} />
      {visible.map((w) => (
        <article key={w.id} data-order={compare(w.id, filter)}>
          <h3>{w.title}</h3>
          <div dangerouslySetInnerHTML={{ __html: w.body ?? '' }} /> {/* expect: xss.dom-sink */}
          <div dangerouslySetInnerHTML={{ __html: '<hr/>' }} />
        </article>
      ))}
      <footer>{html.length > 0 ? 'has notes' : "doesn't have notes"}</footer>
    </main>
  );
};

export function sessionId(): string {
  return Date.now().toString(36) + Math.random().toString(36).slice(2); // expect: crypto.insecure-random
}

export function widgetId(): string {
  return globalThis.crypto.randomUUID();
}

export function shuffle<T>(items: T[]): T[] {
  return [...items].sort(() => Math.random() - 0.5);
}
