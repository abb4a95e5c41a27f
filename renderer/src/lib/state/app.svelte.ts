// The application's state: the engine connection, the open project and its lists, the
// route, the theme, jobs and notices. One instance, made by App.svelte and handed to the
// views through context (useApp()).
import { getContext, setContext } from 'svelte';
import type { EngineInfo } from '../../../../shared/contract';
import type { JobDefaults } from '../../../../shared/api/jobs';
import type { ProjectInfo } from '../../../../shared/api/projects';
import { PROCEDURE_NAMES } from '../../../../shared/names';
import type { ConnectionStatus, EngineClient } from '../client';
import { messageOf } from './error-message';
import { JobsState } from './jobs.svelte';
import { Notices } from './notices.svelte';
import { LISTS_CHANGED_BY, ProjectData } from './project-data.svelte';
import { jobTitle } from './job-titles';
import { formatRoute, parseRoute, type Route } from './route';

export type Theme = 'system' | 'light' | 'dark';

const KEY = Symbol('mnemoscope-app');

export class AppState {
  connection = $state<ConnectionStatus>({ state: 'connecting', detail: 'Connecting to the engine…' });
  engine = $state<EngineInfo | null>(null);
  engineError = $state<string | null>(null);
  project = $state<ProjectInfo | null>(null);
  route = $state<Route>({ view: 'projects' });
  theme = $state<Theme>('system');
  defaults = $state<JobDefaults | null>(null);
  /** True once the first attempt to restore the last project has finished. */
  started = $state(false);
  readonly jobs: JobsState;
  readonly notices = new Notices();
  readonly data: ProjectData;

  constructor(readonly client: EngineClient) {
    this.jobs = new JobsState(client.api);
    this.data = new ProjectData(client.api);
  }

  get api() {
    return this.client.api;
  }

  /** Whether the engine has a procedure (the contract grows; an older engine may lack one). */
  has(procedure: string): boolean {
    return (PROCEDURE_NAMES as readonly string[]).includes(procedure);
  }

  /** Starts listening and loads what the shell shows; returns the function that stops it all. */
  start(): () => void {
    const offs: (() => void)[] = [];
    this.connection = this.client.status();
    let wasConnected = this.connection.state === 'connected';
    offs.push(
      this.client.onStatus((s) => {
        this.connection = s;
        if (s.state === 'connected' && !wasConnected) void this.jobs.sync().catch(() => {});
        wasConnected = s.state === 'connected';
      }),
    );
    offs.push(this.jobs.connect());
    offs.push(
      this.jobs.onEnd((end, record) => {
        const lists = LISTS_CHANGED_BY[end.kind];
        if (lists) void this.data.reload(lists);
        // Also shown where the job was started; the notice reaches a person on another view.
        if (end.status === 'failed') this.notices.error(`${jobTitle(end.kind, record.params)} failed`, end.error);
        else if (end.status === 'done' && end.kind === 'train' && end.result.cancelled)
          this.notices.push('info', `${jobTitle(end.kind, record.params)} cancelled`, 'The best checkpoint so far was kept.');
        else if (end.status === 'done') this.notices.push('success', `${jobTitle(end.kind, record.params)} finished`);
        else this.notices.push('info', `${jobTitle(end.kind, record.params)} cancelled`);
      }),
    );
    const onHash = () => (this.route = parseRoute(window.location.hash));
    window.addEventListener('hashchange', onHash);
    offs.push(() => window.removeEventListener('hashchange', onHash));
    this.route = parseRoute(window.location.hash);

    void this.load();
    return () => offs.forEach((off) => off());
  }

  private async load(): Promise<void> {
    const settings = this.api.settingsGet({}).then(
      (s) => {
        this.theme = s.settings.theme;
        if (s.problem) this.notices.push('warning', 'Settings could not be read', s.problem);
      },
      (err: unknown) => this.notices.error('Settings could not be read', messageOf(err)),
    );
    const defaults = this.api.jobDefaults({}).then(
      (d) => (this.defaults = d),
      (err: unknown) => this.notices.error('The engine did not give its defaults', messageOf(err)),
    );
    const jobs = this.jobs.sync().catch((err: unknown) => this.notices.error('Jobs could not be listed', messageOf(err)));
    // The most recently opened project comes back after a reload, if it is still there.
    const restore = this.api.projectRecent({}).then(
      async (recent) => {
        const last = recent.find((r) => r.available);
        if (last && !this.project) await this.useProject(() => this.api.projectInfo({ project: last.dir }), { quiet: true });
      },
      (err: unknown) => this.notices.error('Recent projects could not be read', messageOf(err)),
    );
    await Promise.all([settings, defaults, jobs, restore]);
    this.started = true;
    if (!this.project && this.route.view !== 'projects') this.navigate({ view: 'projects' });
    // Engine info loads TensorFlow.js in the engine and takes a moment: not waited for.
    this.api.engineInfo({}).then(
      (i) => (this.engine = i),
      (err: unknown) => (this.engineError = messageOf(err)),
    );
  }

  /** Goes to a route; `replace` changes the URL without a new history entry (a selection being edited). */
  navigate(route: Route, opts: { replace?: boolean } = {}): void {
    const hash = formatRoute(route);
    if (window.location.hash !== hash) {
      if (opts.replace) window.history.replaceState(window.history.state, '', hash);
      else window.location.hash = hash;
    }
    this.route = route;
  }

  /** Opens a project with `open` (create, open, demo, info); true when it worked. Errors become notices unless quiet. */
  async useProject(open: () => Promise<ProjectInfo>, opts: { quiet?: boolean } = {}): Promise<boolean> {
    try {
      const info = await open();
      this.project = info;
      this.data.switchTo(info.dir);
      return true;
    } catch (err) {
      if (!opts.quiet) this.notices.error('The project could not be opened', messageOf(err));
      return false;
    }
  }

  closeProject(): void {
    this.project = null;
    this.data.switchTo(null);
    this.navigate({ view: 'projects' });
  }

  /** Re-reads the manifest and the lists (after changes made elsewhere). */
  async refreshProject(): Promise<void> {
    const dir = this.project?.dir;
    if (!dir) return;
    try {
      this.project = await this.api.projectInfo({ project: dir });
      await this.data.reload();
    } catch (err) {
      this.notices.error('The project could not be read', messageOf(err));
    }
  }

  async setTheme(theme: Theme): Promise<void> {
    this.theme = theme;
    try {
      await this.api.settingsSet({ theme });
    } catch (err) {
      this.notices.error('The theme could not be saved', messageOf(err));
    }
  }
}

export function provideApp(app: AppState): void {
  setContext(KEY, app);
}

export function useApp(): AppState {
  const app = getContext<AppState | undefined>(KEY);
  if (!app) throw new Error('useApp() outside the app (provideApp was not called)');
  return app;
}
