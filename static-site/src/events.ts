// A tiny in-page event bus, so the teaching panel can follow the session, the request log and the health
// poll without the pages knowing the panel exists.
export type Topic = 'lang' | 'session' | 'log' | 'route' | 'faults' | 'health' | 'lesson';

const listeners = new Map<Topic, Set<() => void>>();

export function on(topic: Topic, listener: () => void): () => void {
  let set = listeners.get(topic);
  if (!set) {
    set = new Set();
    listeners.set(topic, set);
  }
  set.add(listener);
  return () => set.delete(listener);
}

export function emit(topic: Topic): void {
  for (const listener of listeners.get(topic) ?? []) listener();
}
