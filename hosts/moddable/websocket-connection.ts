// MQTT over WebSocket (ws://, wss://) through the SDK's websocket Client. The SDK calls the
// client's callback as its method, and the callback finds its connection in a property
// (hosts/moddable/host.ts says why).

import SecureSocket from 'securesocket';
import { Client as WebSocketClient } from 'websocket';
import type { Connection } from '../../src/host';
import { brokerName } from '../../src/endpoint';
import { arrayBuffer, CONNECTING, DONE, OPEN, Starting, UPGRADING, where } from './connection';
import { describe, logLine } from './log';
import { secureOptions, tlsSetupFailed } from './tls';

type OwnedWebSocket = WebSocketClient & { owner?: WebSocketConnection };

function onWebSocket(this: OwnedWebSocket, message: number, value: unknown): void {
  try {
    this.owner?.webSocketEvent(this, message, value);
  } catch (e) {
    logLine(`Internal error in WebSocket: ${describe(e)}`);
  }
}

/**
 * MQTT over WebSocket (ws://, wss://) through the SDK's websocket Client (modules/network/websocket),
 * over Socket or SecureSocket. It sends binary frames and asks for the subprotocol "mqtt". Its
 * limits (docs/flashing.md): a frame the broker sends must arrive whole in one read (a few KB on
 * ws://, under 1 KB on wss://), no fragmented messages, at most 64 KB per frame sent.
 */
export class WebSocketConnection extends Starting implements Connection {
  ws: OwnedWebSocket | null = null;

  write(bytes: Uint8Array): void {
    if (this.state !== OPEN || !this.ws || !bytes.length) return;
    try {
      this.ws.write(arrayBuffer(bytes));
    } catch (e) {
      this.finishSoon(`cannot send to ${brokerName(this.to)}: ${describe(e)}`, 'lost');
    }
  }

  protected open(address: string): void {
    const to = this.to,
      secure = to.transport === 'wss';
    this.state = CONNECTING;
    let w: OwnedWebSocket;
    try {
      const dictionary: Record<string, unknown> = { host: address, port: to.port, path: to.path ?? '/mqtt', protocol: 'mqtt' };
      if (secure) {
        dictionary.Socket = SecureSocket;
        dictionary.secure = secureOptions(to);
      }
      w = new WebSocketClient(dictionary as ConstructorParameters<typeof WebSocketClient>[0]) as OwnedWebSocket;
    } catch (e) {
      return this.finish(secure ? tlsSetupFailed(to, e) : `cannot open a WebSocket to ${brokerName(to)}: ${describe(e)}`, secure ? 'setup' : 'unreachable');
    }
    this.ws = w;
    w.owner = this;
    w.callback = onWebSocket as WebSocketClient['callback'];
  }

  protected release(): void {
    const w = this.ws;
    this.ws = null;
    if (!w) return;
    w.owner = undefined;
    try {
      w.close();
    } catch {
      /* already closed */
    }
  }

  webSocketEvent(w: WebSocketClient, message: number, value: unknown): void {
    if (this.state === DONE || w !== this.ws) return;
    const to = this.to;
    switch (message) {
      case 1: // the (TLS) socket is connected; the upgrade request is on its way
        this.state = UPGRADING;
        return;
      case 2: // upgraded
        this.state = OPEN;
        this.events.connected();
        return;
      case 3: // a message: MQTT goes in binary ones
        if (typeof value === 'string') return this.finish('WebSocket: the broker sent a text frame: MQTT goes in binary frames', 'protocol');
        if (value instanceof ArrayBuffer && value.byteLength) this.events.data(new Uint8Array(value));
        return;
      case 4: // closed, or failed
        if (this.state === OPEN) this.finish(`the WebSocket connection to ${brokerName(to)} closed`, 'lost');
        else if (this.state === UPGRADING)
          this.finish(`WebSocket: ${brokerName(to)} refused the upgrade to WebSocket (check the port and the path)`, 'websocket');
        else if (to.transport === 'wss')
          this.finish(
            `no MQTT broker at ${where(to)}, or the TLS handshake failed (check the port, and that ca=${to.ca} signed the broker's certificate)`,
            'unreachable',
          );
        else this.finish(`no MQTT broker at ${where(to)} (connection refused or host unreachable)`, 'unreachable');
        return;
    }
  }
}
