// Les mots en français : les tuiles, la page de la classe, la page des élèves (tools/words/words.ts
// dit ce qu'est chacun). L'anglais est dans en.ts.

import type { Crossing, PairFailure } from '../classroom/view-model';
import { closeWhyFr, troubleFr } from './close-why';
import type { ClassPageWords, StudentPageWords, TileWords } from './words';

const num = (n: number) => n.toLocaleString('fr-FR');
/** Le pluriel français : 0 et 1 au singulier. */
const s = (n: number) => (n > 1 ? 's' : '');
const dec = (n: number) => n.toLocaleString('fr-FR', { maximumFractionDigits: 1, useGrouping: false });
/** Quand une activité a parlé : « à l’instant » sous la seconde, comme on lit un projecteur (pas « il y a 445 ms »). */
const ago = (d: string, ms: number) => (ms < 1000 ? 'à l’instant' : `il y a ${d}`);

export const tileWords: TileWords = {
  label: {
    ok: 'OK',
    silent: 'Muet',
    unheard: 'Muet',
    noReply: 'Sans réponse',
    noHello: 'En attente',
    replyOnly: 'En attente',
    waitReply: 'En attente',
    quiet: 'En attente',
    neverConnected: 'Jamais connecté',
    starting: 'Démarrage',
    connecting: 'Connexion',
    reconnecting: 'Reconnexion',
    crossed: 'Topics mélangés',
    stopped: 'Arrêté',
    notYet: 'Pas encore là',
    sensor: 'Station météo',
    sensorOffline: 'Capteur parti',
    chat: 'Chat',
    remote: 'Télécommande',
    student: 'En ligne',
    studentLeft: 'Parti',
    otherActivity: 'Autre activité',
    doubled: 'Deux répondeurs',
  },
  why: {
    ok: (d, ms) => (ms < 1000 ? 'dernier aller-retour à l’instant' : `dernier aller-retour il y a ${d}`),
    silent: (d) => `rien reçu depuis ${d}`,
    unheard: (d) => `rien reçu depuis ${d}`,
    noReply: (d) => `pas de réponse depuis ${d} : l’ESP#2 est-il allumé ?`,
    noHello: () => 'pas encore de hello',
    replyOnly: () => 'une réponse, mais aucun hello vu',
    waitReply: (d) => `hello envoyé il y a ${d}, pas encore de réponse`,
    quiet: (d) => `silencieux depuis ${d}`,
    neverConnected: () => 'sur la liste de la classe : pas encore de hello',
    starting: () => 'attend son tour pour se connecter',
    connecting: (_d, _ms, f) => `${f.boards ?? 0} carte${s(f.boards ?? 0)} sur 2 connectée${s(f.boards ?? 0)}`,
    reconnecting: (_d, _ms, f) => `${f.boards ?? 0} carte${s(f.boards ?? 0)} sur 2 connectée${s(f.boards ?? 0)}`,
    crossed: (_d, _ms, f) => (f.crossing ? crossing(f.crossing) : 'un message est arrivé chez ce binôme par erreur'),
    stopped: () => 'arrêté depuis cette page',
    notYet: (d) => `sur la liste de la classe : pas encore entendu (début il y a ${d})`,
    sensor: (d, ms, f) =>
      `publie ${[f.temperature !== undefined && `${dec(f.temperature)} °C`, f.pressure !== undefined && `${dec(f.pressure)} hPa`].filter(Boolean).join(' · ') || 'ses valeurs'}, ${ago(d, ms)}`,
    sensorOffline: () => 'son statut dit offline : la carte est partie sans dire au revoir (son testament)',
    chat: (d, ms) => `discute : dernier message ${ago(d, ms)}`,
    remote: (d, ms, f) => (f.command ? `dernière commande «\u00a0${f.command}\u00a0», ${ago(d, ms)}` : `dernière commande ${ago(d, ms)}`),
    student: () => 'en ligne sur la page des élèves',
    studentLeft: () => 'a quitté la page des élèves',
    otherActivity: (d, ms) => `publie sur d’autres topics, ${ago(d, ms)}`,
    doubled: () => 'plus de réponses que de hello : un second répondeur répond (un autre ESP#2, un flux Node-RED ?)',
  },
  crossing,
  failure,
};

/** La dernière panne d’une carte, d’après son événement : sa nature, et la raison du client quand il n’y a pas mieux. */
function failure({ esp, failure: f }: PairFailure): string {
  if (f.event === 'refused') return `ESP#${esp} : abonnement refusé par le broker (${f.reason})`;
  return `ESP#${esp} : ${f.wasConnected ? 'connexion au broker perdue' : 'pas de connexion au broker'} : ${closeWhyFr(f)}`;
}

/** Ce qui est arrivé chez un binôme par erreur, tel que PairCheck l’a vu. */
function crossing(c: Crossing): string {
  const who = 'by' in c && c.by === 'esp2' ? 'l’ESP#2 a reçu' : 'l’observateur a vu';
  switch (c.code) {
    case 'replyNotSent':
      return `l’ESP#1 a reçu un «\u00a0received\u00a0» que son ESP#2 n’a pas envoyé (${c.got} reçus, ${c.sent} envoyés)`;
    case 'offTopic':
      return `l’ESP#2 a reçu «\u00a0${c.text}\u00a0» sur ${c.topic}, pas sur son propre topic hello`;
    case 'notHello':
      return `${who} «\u00a0${c.text}\u00a0» sur ${c.topic}, qui n’est pas un hello de son ESP#1`;
    case 'helloAhead':
      return `${who} «\u00a0${c.text}\u00a0» sur ${c.topic}, mais son ESP#1 n’a envoyé que ${c.sent} hello (#0 à #${c.sent - 1})`;
    case 'helloBack':
      return `${who} «\u00a0${c.text}\u00a0» sur ${c.topic} après Hello #${c.last} : une autre carte publie sur le topic de ce binôme`;
    case 'notReply':
      return `l’observateur a vu «\u00a0${c.text}\u00a0» sur ${c.topic}, pas le «\u00a0received\u00a0» de son ESP#2`;
    case 'tooManyReplies':
      return `l’observateur a vu ${c.seen} messages sur ${c.topic}, son ESP#2 en a envoyé ${c.sent}`;
  }
}

export const classWords: ClassPageWords = {
  locale: 'fr-FR',
  pairs: (n) => `${n} binôme${s(n)}`,
  students: (n) => `${n} élève${s(n)} sur la page des élèves`,
  ok: 'OK',
  wait: 'en attente',
  silent: 'en difficulté',
  okLegend: 'OK',
  okMeans: 'son dernier hello a reçu sa réponse',
  waitLegend: 'En attente',
  waitMeans: 'démarrage, reconnexion, ou réponse attendue',
  silentLegend: 'Muet · Sans réponse · Jamais connecté',
  silentMeans: (after) => `rien, ou pas de réponse, depuis environ 3 intervalles (${after})`,
  empty: 'En attente du premier hello : aucun binôme n’a encore publié sur <préfixe>hello.',
  last: (n) => (n === null ? 'aucun hello vu' : `dernier : Hello #${n}`),
  seen: (h, r) => `vus ici : ${num(h)} hello, ${num(r)} réponse${s(r)}`,
  boards: (b) => `cartes connectées : ${b}/2`,
  reconnects: (n) => `${n} reconnexion${s(n)}`,
  other: (n) => `${n} autre${s(n)} message${s(n)} (autre activité)`,
  retained: (n) => `${n} retenu${s(n)} (ancien${s(n)})`,
  runsProgram: (b, name) => `${b} : son programme «\u00a0${name}\u00a0»`,
  runsRole: (b, role) => `${b} : rôle intégré (${role})`,
  protocol: (yes) =>
    yes
      ? 'suit le protocole de la paire : «\u00a0Hello\u00a0#N\u00a0» répondu par «\u00a0received\u00a0»'
      : 'protocole de la paire pas encore vu : aucun «\u00a0Hello\u00a0#N\u00a0» répondu par «\u00a0received\u00a0»',
  hash: (h) => `empreinte ${h}`,
  stop: 'Arrêter',
  start: 'Relancer',
  identify: 'Identifier',
  identifyTitle: 'Les cartes de ce binôme font clignoter leur LED pendant 5 s',
  ignored: (n, more, m) => `${more ? 'plus de ' : ''}${num(n)} autres binômes non affichés (--max-pairs) : ${num(m)} messages`,
  once: (n) => `${num(n)} préfixe${s(n)} entendu${s(n)} une seule fois, non affiché${s(n)} (tant qu’aucun hello n’a de réponse)`,
  others: (n) => `${num(n)} message${s(n)} de la classe sur d’autres topics (non jugé${s(n)})`,
  interval: 'intervalle des hello',
  running: 'en cours depuis',
  live: 'vue en direct, mise à jour chaque seconde',
  updated: 'dernière mise à jour',
  watching: (filters, where) => `observe ${filters} sur ${where}`,
  simulated: (n, where, runFor) => `${n} binômes simulés sur ${where}${runFor ? ` · pendant ${runFor}` : ''}`,
  finished: (r) => `Terminé : ${r.ok}/${r.of} binômes OK${r.stopped ? ` (${r.stopped} arrêté${s(r.stopped)} depuis cette page)` : ''}`,
  noBroker: (t) => `Pas de connexion au broker : ${troubleFr(t)}`,
  lost: 'Connexion perdue avec mqtt-pair (est-il toujours lancé ?) : nouvel essai…',
};

export const studentWords: StudentPageWords = {
  title: 'MQTT en classe',
  me: 'Mon prénom',
  peer: 'Prénom de mon binôme',
  broker: 'Broker (WebSocket)',
  user: 'Utilisateur (si demandé)',
  password: 'Mot de passe (si demandé)',
  connect: 'Se connecter',
  leave: 'Se déconnecter',
  tabChat: 'Chat',
  tabRemote: 'Capteur / actionneur',
  tabLab: 'Laboratoire',
  message: 'Message',
  pubMessage: 'Message à publier',
  send: 'Envoyer',
  online: 'en ligne',
  offline: 'hors ligne',
  unknown: 'pas encore vu',
  notConnected: 'Pas connecté',
  connecting: 'Connexion…',
  connected: 'Connecté à',
  lost: 'Connexion perdue',
  failed: 'Connexion impossible',
  closeWhy: (kind, code, where) => {
    switch (kind) {
      case 'refused':
        return code === 4 || code === 5
          ? 'le broker refuse ce compte : vérifie l’utilisateur et le mot de passe'
          : code === 2
            ? 'le broker refuse l’identifiant de client'
            : code === 3
              ? 'le broker est indisponible pour le moment'
              : 'le broker a refusé la connexion';
      case 'unreachable':
        return `aucun broker MQTT ne répond à ${where} (vérifie l’adresse, le port de son WebSocket et le chemin)`;
      case 'websocket':
        return `${where} a refusé le WebSocket (vérifie l’adresse et le port)`;
      case 'dns':
        return `le nom du broker dans ${where} est introuvable`;
      case 'tls':
        return 'la connexion sécurisée (TLS) a échoué';
      case 'timeout':
        return 'le broker ne répond pas';
      case 'protocol':
        return 'le serveur ne répond pas en MQTT';
      case 'lost':
        return 'la connexion a été coupée';
      default:
        return 'la connexion a échoué';
    }
  },
  retry: 'nouvel essai dans',
  seconds: 's',
  colon: ' : ',
  needNames: 'Écris ton prénom et celui de ton binôme.',
  samePeer: 'Le prénom de ton binôme doit être différent du tien.',
  badName: 'Un prénom ne peut contenir ni /, ni +, ni #, ni caractère invisible ou de contrôle.',
  notWebSocket: (address) => `«\u00a0${address}\u00a0» n’est pas l’adresse d’un WebSocket : écris-en une comme ws://192.168.1.144:9001`,
  sensorTitle: 'Capteur : mes flèches',
  sensorHelp: 'Les flèches du clavier ou ces boutons envoient une commande sur',
  actuatorTitle: 'Actionneur : les commandes de',
  actuatorHelp: 'Ce bloc prend la couleur que demande la commande reçue sur',
  up: 'haut',
  down: 'bas',
  left: 'gauche',
  right: 'droite',
  sent: 'Envoyé :',
  received: 'Reçu :',
  unknownCommand: 'commande inconnue',
  labConn: 'Ma connexion du labo',
  willTopic: 'Topic du testament (will)',
  willMessage: 'Message du testament',
  willGone: 'déconnexion brutale',
  retain: 'retain',
  clean: 'Session propre (clean session)',
  labConnect: 'Connecter le labo',
  labEnd: 'Déconnexion propre',
  labCut: 'Couper brutalement',
  publish: 'Publier',
  topic: 'Topic',
  subscribe: "S'abonner",
  filter: 'Filtre (+ et # permis)',
  unsubscribe: 'Se désabonner',
  messages: 'Messages reçus',
  time: 'Heure',
  qos: 'QoS',
  labUp: 'Labo connecté, identifiant',
  labDown: 'Labo déconnecté',
  labCutDone: 'Connexion coupée sans DISCONNECT : le broker publie le testament.',
  labEndDone: 'DISCONNECT envoyé : pas de testament.',
  sessionPresent: 'session conservée (session present)',
  subscribed: 'Abonné à',
  granted: 'QoS accordée',
  refused: 'refusé',
  published: 'Publié sur',
  error: 'Erreur',
  control: 'contient un caractère invisible ou de contrôle, que le broker refuse : retape-le',
  openWarning: 'Cette page est ouverte à tout le réseau de la salle : toute personne connectée à ce réseau peut l’ouvrir.',
  you: 'moi',
  writeOn: 'J’écris sur',
  readFrom: 'je lis',
  nameTaken: (name) =>
    `«\u00a0${name}\u00a0» est déjà connecté dans cette classe (un autre onglet, ou un autre élève du même prénom) : change de prénom (par exemple «\u00a0${name} B.\u00a0»), ou clique encore sur Se connecter pour le garder.`,
  colourNames: { red: 'rouge', green: 'vert', blue: 'bleu', yellow: 'jaune', cyan: 'cyan', magenta: 'magenta', white: 'blanc', off: 'éteint' },
  yes: 'oui',
  no: 'non',
};
