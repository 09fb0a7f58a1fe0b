/**
 * Every contract method has a handler in both transports: what electron/main registers with ipcMain.handle
 * (electron mocked: its binary is not installed here), what the preload exposes through contextBridge,
 * and the HTTP routes of a real server over a temp workspace.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { METHOD_NAMES } from '../../contract/api';
import { CONTENT_SECURITY_POLICY, ELECTRON_MEDIA_BASE, IPC_CHANNEL_PREFIX, IPC_DIALOG_CHANNEL, IPC_EVENT_CHANNEL } from '../../contract/transport';
import type { FeaBridge } from '../../contract/transport';
import { openWorkspace } from '../../db/open';
import type { BrowserWindowConstructorOptions, CustomScheme } from 'electron';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the mock stands in for Electron's callbacks, each called with what Electron would pass
type Listener = (...args: any[]) => any;

interface MockWindow {
  options: BrowserWindowConstructorOptions;
  webContents: { id: number; send: jest.Mock; on: jest.Mock };
  loadURL: jest.Mock;
}

const mockElectron = {
  handlers: new Map<string, Listener>(),
  appListeners: new Map<string, Listener[]>(),
  protocolHandlers: new Map<string, Listener>(),
  privileged: [] as CustomScheme[],
  windows: [] as MockWindow[],
  permissionHandler: null as Listener | null,
  permissionCheck: null as Listener | null,
  headersHook: null as Listener | null,
  exposed: new Map<string, unknown>(),
  rendererListeners: new Map<string, Listener[]>(),
  rendererInvoke: jest.fn(async (channel: string, input: unknown) => ({ ok: true, value: { channel, input } })),
  nextId: 100,
  showOpenDialog: jest.fn(async (_win: unknown, _options: unknown) => ({ canceled: false, filePaths: ['/data/picked'] })),
};

jest.mock('electron', () => {
  const m = mockElectron;
  class BrowserWindow {
    options: BrowserWindowConstructorOptions;
    webContents: { id: number; send: jest.Mock; on: jest.Mock };
    loadURL = jest.fn(async () => undefined);
    constructor(options: BrowserWindowConstructorOptions) {
      this.options = options;
      this.webContents = { id: m.nextId++, send: jest.fn(), on: jest.fn() };
      m.windows.push(this as unknown as MockWindow);
    }
    on() {}
    once() {}
    show() {}
    isDestroyed() {
      return false;
    }
    static getAllWindows() {
      return m.windows;
    }
  }
  return {
    app: {
      enableSandbox: jest.fn(),
      requestSingleInstanceLock: () => true,
      whenReady: () => Promise.resolve(),
      on: (name: string, fn: Listener) => m.appListeners.set(name, [...(m.appListeners.get(name) ?? []), fn]),
      exit: jest.fn(),
      quit: jest.fn(),
    },
    BrowserWindow,
    dialog: { showOpenDialog: (win: unknown, options: unknown) => m.showOpenDialog(win, options) },
    ipcMain: {
      handle: (channel: string, fn: Listener) => {
        if (m.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
        m.handlers.set(channel, fn);
      },
      removeHandler: (channel: string) => m.handlers.delete(channel),
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: CustomScheme[]) => m.privileged.push(...schemes),
      handle: (scheme: string, fn: Listener) => m.protocolHandlers.set(scheme, fn),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: Listener) => (m.permissionHandler = fn),
        setPermissionCheckHandler: (fn: Listener) => (m.permissionCheck = fn),
        webRequest: { onHeadersReceived: (fn: Listener) => (m.headersHook = fn) },
      },
    },
    contextBridge: { exposeInMainWorld: (key: string, value: unknown) => m.exposed.set(key, value) },
    ipcRenderer: {
      invoke: m.rendererInvoke,
      on: (channel: string, fn: Listener) => m.rendererListeners.set(channel, [...(m.rendererListeners.get(channel) ?? []), fn]),
      removeListener: (channel: string, fn: Listener) =>
        m.rendererListeners.set(channel, (m.rendererListeners.get(channel) ?? []).filter((l) => l !== fn)),
    },
  };
});

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fea-wiring-'));
const wsDir = path.join(tmp, 'ws');
openWorkspace(wsDir, { create: true }).close();
fs.mkdirSync(path.join(wsDir, 'media', 'ab'), { recursive: true });
fs.writeFileSync(path.join(wsDir, 'media', 'ab', 'face.png'), Buffer.from('89504e470d0a1a0a', 'hex'));

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('Electron main', () => {
  let main: typeof import('../../electron/main');
  const savedEnv = process.env.FEA_WORKSPACE;

  beforeAll(async () => {
    process.env.FEA_WORKSPACE = wsDir;
    main = require('../../electron/main');
    await main.ready;
  });
  afterAll(async () => {
    // Quitting waits for the services to shut down (training runs checkpoint), then exits.
    const event = { preventDefault: jest.fn() };
    for (const fn of mockElectron.appListeners.get('will-quit') ?? []) fn(event);
    expect(event.preventDefault).toHaveBeenCalled();
    const { app } = jest.requireMock('electron') as { app: { exit: jest.Mock } };
    for (let i = 0; i < 100 && app.exit.mock.calls.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(app.exit).toHaveBeenCalledWith(0);
    if (savedEnv === undefined) delete process.env.FEA_WORKSPACE;
    else process.env.FEA_WORKSPACE = savedEnv;
  });

  const win = () => mockElectron.windows[0];
  const trusted = () => ({ sender: { id: win().webContents.id }, senderFrame: { url: 'fea-app://app/index.html', parent: null } });
  const call = (method: string, event: unknown, input: unknown) => mockElectron.handlers.get(IPC_CHANNEL_PREFIX + method)!(event, input);

  test('registers exactly one fea:<method> IPC handler per contract method, and the open dialog', () => {
    expect([...mockElectron.handlers.keys()].filter((c) => c !== IPC_DIALOG_CHANNEL).sort()).toEqual(METHOD_NAMES.map((m) => IPC_CHANNEL_PREFIX + m).sort());
    expect(mockElectron.handlers.has(IPC_DIALOG_CHANNEL)).toBe(true);
  });

  test('the open dialog: modal to the asking window, a file or a folder, only the path goes back; untrusted senders get nothing', async () => {
    const pick = (event: unknown, kind: unknown) => mockElectron.handlers.get(IPC_DIALOG_CHANNEL)!(event, kind);
    expect(await pick(trusted(), 'folder')).toBe('/data/picked');
    expect(mockElectron.showOpenDialog).toHaveBeenLastCalledWith(win(), expect.objectContaining({ properties: expect.arrayContaining(['openDirectory']) }));
    expect(await pick(trusted(), 'file')).toBe('/data/picked');
    expect(mockElectron.showOpenDialog).toHaveBeenLastCalledWith(win(), expect.objectContaining({ properties: ['openFile'] }));
    mockElectron.showOpenDialog.mockResolvedValueOnce({ canceled: true, filePaths: [] });
    expect(await pick(trusted(), 'file')).toBeNull();
    mockElectron.showOpenDialog.mockClear();
    expect(await pick(trusted(), '../etc')).toBeNull();
    expect(await pick({ ...trusted(), senderFrame: { url: 'https://evil.example/', parent: null } }, 'file')).toBeNull();
    expect(await pick({ ...trusted(), sender: { id: 99999 } }, 'file')).toBeNull();
    expect(mockElectron.showOpenDialog).not.toHaveBeenCalled();
  });

  test('every IPC handler validates its input through dispatch()', async () => {
    for (const method of METHOD_NAMES) {
      const result = await call(method, trusted(), 'not an object');
      expect([method, result.ok, result.error?.code]).toEqual([method, false, 'invalid_input']);
    }
  });

  test('a valid call from the main frame reaches the handler', async () => {
    const result = await call('workspace.info', trusted(), {});
    expect(result.ok || !['forbidden', 'invalid_input', 'unknown_method'].includes(result.error.code)).toBe(true);
  });

  test('refuses subframes, foreign origins, other web contents and vanished frames', async () => {
    const refused = [
      { ...trusted(), senderFrame: { url: 'fea-app://app/index.html', parent: {} } },
      { ...trusted(), senderFrame: { url: 'https://evil.example/', parent: null } },
      { ...trusted(), senderFrame: { url: 'file:///etc/passwd', parent: null } },
      { ...trusted(), senderFrame: { url: 'fea-app://evil/index.html', parent: null } },
      { ...trusted(), sender: { id: 99999 } },
      { ...trusted(), senderFrame: null },
    ];
    for (const event of refused) {
      const result = await call('workspace.info', event, {});
      expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: 'forbidden' }) });
    }
  });

  test('one window: isolated, sandboxed, no Node, web security on, loading the app protocol with the preload', () => {
    expect(mockElectron.windows).toHaveLength(1);
    expect((jest.requireMock('electron') as { app: { enableSandbox: jest.Mock } }).app.enableSandbox).toHaveBeenCalled();
    const prefs = win().options.webPreferences!;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
    expect(prefs.preload).toMatch(/preload\.js$/);
    expect(prefs.additionalArguments).toEqual([main.METHODS_ARG_PREFIX + METHOD_NAMES.join(',')]);
    expect(win().loadURL).toHaveBeenCalledWith('fea-app://app/index.html');
  });

  test('permissions denied, navigation and new windows blocked, CSP on every response', () => {
    const answers: boolean[] = [];
    mockElectron.permissionHandler!({}, 'media', (ok: boolean) => answers.push(ok));
    mockElectron.permissionHandler!({}, 'notifications', (ok: boolean) => answers.push(ok));
    expect(answers).toEqual([false, false]);
    expect(mockElectron.permissionCheck!({}, 'clipboard-read')).toBe(false);

    const on = new Map<string, Listener>();
    let openHandler: Listener | null = null;
    const contents = { on: (n: string, fn: Listener) => on.set(n, fn), setWindowOpenHandler: (fn: Listener) => (openHandler = fn) };
    for (const fn of mockElectron.appListeners.get('web-contents-created') ?? []) fn({}, contents);
    const nav = { preventDefault: jest.fn() };
    on.get('will-navigate')!(nav, 'https://evil.example/');
    expect(nav.preventDefault).toHaveBeenCalled();
    const webview = { preventDefault: jest.fn() };
    on.get('will-attach-webview')!(webview);
    expect(webview.preventDefault).toHaveBeenCalled();
    expect(openHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });

    let headers: Record<string, string[]> = {};
    mockElectron.headersHook!({ responseHeaders: { 'Content-Type': ['text/html'] } }, (r: { responseHeaders: Record<string, string[]> }) => (headers = r.responseHeaders));
    expect(headers['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
  });

  test('fea-media:// serves workspace media and refuses traversal; both schemes are privileged', async () => {
    expect(mockElectron.privileged.map((s) => s.scheme).sort()).toEqual(['fea-app', 'fea-media']);
    const media = mockElectron.protocolHandlers.get('fea-media')!;
    const ok: Response = await media(new Request(`${ELECTRON_MEDIA_BASE}ab/face.png`));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('image/png');
    expect(ok.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    // Request() normalises plain `..`, so the raw forms are given as strings the way Chromium could pass them.
    for (const bad of ['..%2ffea.sqlite', '%2e%2e%2ffea.sqlite', '%252e%252e/fea.sqlite', 'ab%5c..%5c..%5cfea.sqlite', '%2fetc%2fpasswd', 'ab/x%00.png']) {
      const res: Response = await media({ method: 'GET', url: ELECTRON_MEDIA_BASE + bad } as Request);
      expect([bad, res.status]).toEqual([bad, expect.any(Number)]);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(await res.text()).not.toContain('SQLite');
    }
  });

  test('events reach the window on the event channel', () => {
    main.currentServices()!.ctx.events.publish({ type: 'records.changed', ids: ['r1'] });
    expect(win().webContents.send).toHaveBeenCalledWith(IPC_EVENT_CHANNEL, { type: 'records.changed', ids: ['r1'] });
  });
});

describe('Electron preload', () => {
  let bridge: FeaBridge;
  const savedArgv = process.argv;

  beforeAll(() => {
    process.argv = [...savedArgv, `--fea-methods=${METHOD_NAMES.join(',')}`];
    jest.isolateModules(() => require('../../electron/preload'));
    process.argv = savedArgv;
    bridge = mockElectron.exposed.get('feaBridge') as FeaBridge;
  });

  test('exposes exactly window.feaBridge with invoke, onEvent, mediaBase and pickPath', () => {
    expect([...mockElectron.exposed.keys()]).toEqual(['feaBridge']);
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'mediaBase', 'onEvent', 'pickPath']);
    expect(bridge.mediaBase).toBe(ELECTRON_MEDIA_BASE);
  });

  test('invoke forwards every contract method on its channel, and refuses others without touching IPC', async () => {
    for (const method of METHOD_NAMES) {
      await bridge.invoke(method, { probe: method });
      expect(mockElectron.rendererInvoke).toHaveBeenLastCalledWith(IPC_CHANNEL_PREFIX + method, { probe: method });
    }
    mockElectron.rendererInvoke.mockClear();
    for (const bad of ['event', 'fea:workspace.info', '__proto__', 'constructor', '']) {
      expect(await bridge.invoke(bad, {})).toEqual({ ok: false, error: expect.objectContaining({ code: 'unknown_method' }) });
    }
    expect(mockElectron.rendererInvoke).not.toHaveBeenCalled();
  });

  test('pickPath asks main on the dialog channel for a file or a folder, nothing else', async () => {
    mockElectron.rendererInvoke.mockClear();
    await bridge.pickPath('folder');
    expect(mockElectron.rendererInvoke).toHaveBeenLastCalledWith(IPC_DIALOG_CHANNEL, 'folder');
    mockElectron.rendererInvoke.mockClear();
    expect(await bridge.pickPath('/etc/passwd' as 'file')).toBeNull();
    expect(mockElectron.rendererInvoke).not.toHaveBeenCalled();
  });

  test('onEvent hands the page only the payload and returns a working unsubscribe', () => {
    const seen: unknown[][] = [];
    const off = bridge.onEvent((...args: unknown[]) => seen.push(args));
    const listeners = mockElectron.rendererListeners.get(IPC_EVENT_CHANNEL)!;
    expect(listeners).toHaveLength(1);
    listeners[0]({ sender: 'ipcRenderer internals' }, { type: 'records.changed', ids: ['a'] });
    expect(seen).toEqual([[{ type: 'records.changed', ids: ['a'] }]]);
    off();
    expect(mockElectron.rendererListeners.get(IPC_EVENT_CHANNEL)).toHaveLength(0);
  });
});

describe('HTTP server', () => {
  let server: import('../../server').RunningServer;

  beforeAll(async () => {
    const { startServer } = await import('../../server');
    server = await startServer({ workspaceDir: wsDir, port: 0 });
  });
  afterAll(() => server.close());

  const post = (method: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}api/call/${method}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  test('every contract method has a route that validates through dispatch()', async () => {
    for (const method of METHOD_NAMES) {
      const res = await post(method, JSON.stringify('not an object'));
      const body = await res.json();
      expect([method, res.status, body.ok, body.error?.code]).toEqual([method, 400, false, 'invalid_input']);
    }
  });

  test('a valid call reaches the handler; unknown methods, foreign origins and non-JSON bodies are refused', async () => {
    const info = await (await post('workspace.info', '{}')).json();
    expect(info.ok || !['forbidden', 'invalid_input', 'unknown_method'].includes(info.error.code)).toBe(true);

    const unknown = await post('no.such', '{}');
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error.code).toBe('unknown_method');

    const foreign = await post('workspace.info', '{}', { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect((await foreign.json()).error.code).toBe('forbidden');

    const form = await post('workspace.info', '{}', { 'content-type': 'text/plain' });
    expect(form.status).toBe(403);

    const broken = await post('workspace.info', '{not json');
    expect((await broken.json()).error.code).toBe('invalid_json');

    const get = await fetch(`${server.url}api/call/workspace.info`);
    expect(get.status).toBe(405);
  });
});

describe('shell plumbing', () => {
  test('the sandboxed preload loads nothing but electron at run time', () => {
    const text = fs.readFileSync(path.join(__dirname, '../../electron/preload.ts'), 'utf8');
    const runtime = [...text.matchAll(/^import\s+(?!type\b)[^'"]*from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]);
    expect(runtime).toEqual(['electron']);
    expect(text).not.toMatch(/\brequire\(/);
  });

  test('the workspace comes from --workspace, then FEA_WORKSPACE, else the demo workspace', () => {
    const { workspaceFromArgv } = require('../../electron/main') as typeof import('../../electron/main');
    expect(workspaceFromArgv(['main.js', '--workspace', '/data/ws'], {})).toBe(path.resolve('/data/ws'));
    expect(workspaceFromArgv(['main.js', '--workspace=/data/ws2'], { FEA_WORKSPACE: '/x' })).toBe(path.resolve('/data/ws2'));
    expect(workspaceFromArgv(['main.js'], { FEA_WORKSPACE: '/x' })).toBe(path.resolve('/x'));
    expect(workspaceFromArgv(['main.js'], {})).toBeNull();
  });

  test('the per-user data folder follows each platform', () => {
    const { userDataDir, defaultWorkspaceDir } = require('../../services/workspace/user-data') as typeof import('../../services/workspace/user-data');
    expect(userDataDir({ XDG_DATA_HOME: '/xdg' }, 'linux', '/home/u')).toBe(path.join('/xdg', 'fea-studio'));
    expect(userDataDir({}, 'linux', '/home/u')).toBe(path.join('/home/u', '.local', 'share', 'fea-studio'));
    expect(userDataDir({}, 'darwin', '/Users/u')).toBe(path.join('/Users/u', 'Library', 'Application Support', 'fea-studio'));
    expect(userDataDir({ APPDATA: 'C:/Users/u/AppData/Roaming' }, 'win32', 'C:/Users/u')).toBe(path.join('C:/Users/u/AppData/Roaming', 'fea-studio'));
    expect(defaultWorkspaceDir({ FEA_WORKSPACE: '/mine' })).toBe(path.resolve('/mine'));
    expect(defaultWorkspaceDir({ XDG_DATA_HOME: '/xdg' })).toMatch(/fea-studio[\\/]demo-workspace$/);
  });
});
