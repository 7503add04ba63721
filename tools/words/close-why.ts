// Why a connection to the broker closed, in French, from its kind and CONNACK code (src/host.ts's
// CloseKind): the tiles (a board's last failure), the class page's and the set-up page's broker
// status. The English pages keep the client's own reason, English already; both languages' status
// line for a connection not up (troubleFr, troubleEn) is here, for the class and set-up pages.

import type { CloseKind } from '../../src/host';
import type { BrokerTrouble } from '../classroom/view-model';

/** The pages' broker status while not connected, in French: why it closed, or a connection under way. */
export function troubleFr(t: BrokerTrouble): string {
  return t.kind ? closeWhyFr({ kind: t.kind, code: t.code, reason: t.reason }) : 'connexion en cours…';
}

/** The same in English: the client's reason, or a connection under way. */
export function troubleEn(t: BrokerTrouble): string {
  return t.kind ? t.reason : 'connecting…';
}

/** The French words for a close; the client's English reason in brackets only where the kind alone says too little. */
export function closeWhyFr(f: { kind: CloseKind; code?: number; reason: string }): string {
  switch (f.kind) {
    case 'refused':
      return `le broker a refusé la connexion${f.code ? ` (code ${f.code})` : ''}`;
    case 'unreachable':
      return 'aucun broker ne répond à cette adresse';
    case 'dns':
      return 'le nom du broker est introuvable';
    case 'timeout':
      return 'le broker ne répond pas';
    case 'lost':
      return 'la connexion a été coupée';
    case 'tls':
      return `échec de la connexion TLS (${f.reason})`;
    case 'websocket':
      return `échec de la connexion WebSocket (${f.reason})`;
    case 'protocol':
      return `le broker ne répond pas en MQTT (${f.reason})`;
    default:
      return f.reason;
  }
}
