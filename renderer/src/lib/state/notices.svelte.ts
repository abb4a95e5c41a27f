// Messages for the person at the screen: errors stay until dismissed (role=alert), other
// notices go by themselves after a while (role=status). Nothing is swallowed silently:
// every failed call or job that has no form of its own to show it lands here.
export type NoticeKind = 'error' | 'warning' | 'success' | 'info';

export interface Notice {
  id: number;
  kind: NoticeKind;
  title: string;
  text: string;
}

// Success and info notices cover the corner of the view, so they go away on their own soon.
const AUTO_DISMISS_MS = 5000;

export class Notices {
  items = $state<Notice[]>([]);
  private next = 1;

  push(kind: NoticeKind, title: string, text = ''): number {
    const id = this.next++;
    this.items = [...this.items, { id, kind, title, text }].slice(-6);
    if (kind === 'success' || kind === 'info') setTimeout(() => this.dismiss(id), AUTO_DISMISS_MS);
    return id;
  }

  error(title: string, text: string): number {
    return this.push('error', title, text);
  }

  dismiss(id: number): void {
    this.items = this.items.filter((n) => n.id !== id);
  }
}
