// The explorer's words (tools/web/explorer), in English and in French. Plain data and small
// functions: the page's script bundles them.

import type { RetainedProblem } from '../explorer/tree';

export interface ExplorerWords {
  locale: string;
  title: string;
  watching(filters: string, where: string): string;
  search: string;
  topics(n: number): string;
  messages(n: number): string;
  dropped(topics: number, messages: number): string;
  retained: string;
  bytes(n: number): string;
  ago(d: string): string;
  pick: string;
  history: string;
  time: string;
  qos: string;
  retain: string;
  value: string;
  change: string;
  same: string;
  first: string;
  chart: string;
  addChart: string;
  removeChart: string;
  window: string;
  minutes(n: number): string;
  noNumbers: string;
  clear: string;
  /** The count on the clear button: what the broker holds retained under the branch, '…' while it is asked. */
  held(n: number | null, more: boolean): string;
  askFailed(why: string): string;
  /** Why the broker did not say (the server's code, tools/explorer/tree.ts), for askFailed. */
  retainedWhy(p: RetainedProblem): string;
  confirmClear(n: number, branch: string): string;
  nothingToClear(branch: string): string;
  cleared(n: number): string;
  lost: string;
  offline: string;
  fold: string;
  unfold: string;
  /** A level with no name: the first of `/x`, the middle one of `cls//double`. */
  emptyLevel: string;
  yes: string;
  no: string;
}

const s = (n: number) => (n === 1 ? '' : 's');
const sfr = (n: number) => (n > 1 ? 's' : '');

export const en: ExplorerWords = {
  locale: 'en-GB',
  title: 'Broker explorer',
  watching: (f, w) => `${f} on ${w}`,
  search: 'Search topics',
  topics: (n) => `${n.toLocaleString('en-GB')} topic${s(n)}`,
  messages: (n) => `${n.toLocaleString('en-GB')} message${s(n)}`,
  dropped: (t, m) => `${t.toLocaleString('en-GB')} topics not kept (--max-topics), ${m.toLocaleString('en-GB')} messages not shown`,
  retained: 'retained',
  bytes: (n) => `${n.toLocaleString('en-GB')} bytes (binary)`,
  ago: (d) => `${d} ago`,
  pick: 'Pick a topic in the tree: its history, its chart, and its retained messages.',
  history: 'Last messages',
  time: 'Time',
  qos: 'QoS',
  retain: 'Retain',
  value: 'Value',
  change: 'Change',
  same: 'same',
  first: 'first',
  chart: 'Live chart',
  addChart: 'Add to the chart',
  removeChart: 'Remove from the chart',
  window: 'Window',
  minutes: (n) => `${n} min`,
  noNumbers: 'No numeric topic on the chart yet: pick one whose values are numbers.',
  clear: 'Clear retained messages under this branch',
  confirmClear: (n, b) => `Clear ${n} retained message${s(n)} under ${b}? Every client subscribing later will get nothing there.`,
  held: (n, more) => (n === null ? '(…)' : `(${n.toLocaleString('en-GB')}${more ? '+' : ''})`),
  askFailed: (why) => `The broker did not say what it holds retained: ${why}`,
  retainedWhy: (p) => {
    switch (p.code) {
      case 'offline':
        return 'mqtt-pair is not connected to it now; pick the branch again once it is';
      case 'timeout':
        return `it did not answer within ${p.seconds} s; pick the branch again`;
      case 'refused':
        return `it refused the subscription to ${p.filter}: its access rules (ACL) do not let mqtt-pair read there`;
      case 'closed':
        return p.kind === 'refused' ? 'it refused a second connection of mqtt-pair' : `the connection that asked it ended (${p.reason})`;
    }
  },
  nothingToClear: (b) => `The broker holds no retained message under ${b}.`,
  cleared: (n) => `${n} retained message${s(n)} cleared.`,
  lost: 'Lost the connection to mqtt-pair (is it still running?): trying again…',
  offline: 'Not connected to the broker: reconnecting…',
  fold: 'Fold',
  emptyLevel: '(empty)',
  unfold: 'Unfold',
  yes: 'yes',
  no: 'no',
};

export const fr: ExplorerWords = {
  locale: 'fr-FR',
  title: 'Explorateur du broker',
  watching: (f, w) => `${f} sur ${w}`,
  search: 'Chercher un topic',
  topics: (n) => `${n.toLocaleString('fr-FR')} topic${sfr(n)}`,
  messages: (n) => `${n.toLocaleString('fr-FR')} message${sfr(n)}`,
  dropped: (t, m) => `${t.toLocaleString('fr-FR')} topics non gardés (--max-topics), ${m.toLocaleString('fr-FR')} messages non affichés`,
  retained: 'retenu',
  bytes: (n) => `${n.toLocaleString('fr-FR')} octets (binaire)`,
  ago: (d) => `il y a ${d}`,
  pick: 'Choisissez un topic dans l’arbre : son historique, sa courbe et ses messages retenus.',
  history: 'Derniers messages',
  time: 'Heure',
  qos: 'QoS',
  retain: 'Retenu',
  value: 'Valeur',
  change: 'Écart',
  same: 'identique',
  first: 'premier',
  chart: 'Courbe en direct',
  addChart: 'Ajouter à la courbe',
  removeChart: 'Retirer de la courbe',
  window: 'Fenêtre',
  minutes: (n) => `${n} min`,
  noNumbers: 'Aucun topic numérique sur la courbe : choisissez-en un dont les valeurs sont des nombres.',
  clear: 'Effacer les messages retenus de cette branche',
  confirmClear: (n, b) => `Effacer ${n} message${sfr(n)} retenu${sfr(n)} sous ${b} ? Un client qui s’abonnera ensuite n’y recevra plus rien.`,
  held: (n, more) => (n === null ? '(…)' : `(${n.toLocaleString('fr-FR')}${more ? '+' : ''})`),
  askFailed: (why) => `Le broker n’a pas dit ce qu’il retient : ${why}`,
  retainedWhy: (p) => {
    switch (p.code) {
      case 'offline':
        return 'mqtt-pair n’y est pas connecté en ce moment ; choisissez de nouveau la branche une fois reconnecté';
      case 'timeout':
        return `il n’a pas répondu en ${p.seconds} s ; choisissez de nouveau la branche`;
      case 'refused':
        return `il a refusé l’abonnement à ${p.filter} : ses règles d’accès (ACL) ne laissent pas mqtt-pair lire là`;
      case 'closed':
        return p.kind === 'refused'
          ? 'il a refusé une seconde connexion de mqtt-pair'
          : p.kind === 'timeout'
            ? 'il ne répond pas'
            : 'la connexion qui le lui demandait a été coupée';
    }
  },
  nothingToClear: (b) => `Le broker ne retient aucun message sous ${b}.`,
  cleared: (n) => `${n} message${sfr(n)} retenu${sfr(n)} effacé${sfr(n)}.`,
  lost: 'Connexion perdue avec mqtt-pair (est-il toujours lancé ?) : nouvel essai…',
  offline: 'Pas de connexion au broker : reconnexion…',
  fold: 'Replier',
  emptyLevel: '(vide)',
  unfold: 'Déplier',
  yes: 'oui',
  no: 'non',
};
