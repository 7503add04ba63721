// Les mots des commandes en français (la forme de la table : cli-words.ts).

import type { CliWords } from './cli-words';
import type { StrayMessage } from '../classroom/view-model';
import { tileWords } from './fr';
import { refusalLine } from './refusal';
import { programRefusal } from './program-refusal';
import { restartCause, stopReason } from './program-stop';
import { closeWhyFr } from './close-why';
import { printable } from '../../src/apps/text';

/** The broker forms a refused --broker lists. */
const BROKER_FORMS =
  'hôte, hôte:port, mqtt://[utilisateur:mot_de_passe@]hôte[:port], mqtts://… (TLS, port 8883), ws://…[/chemin] ou wss://…[/chemin] (WebSocket, chemin /mqtt)';

const CONNACK_FR = [
  '',
  'version du protocole refusée',
  'identifiant de client refusé',
  'serveur indisponible',
  "nom d'utilisateur ou mot de passe incorrect",
  'non autorisé',
];

const s = (n: number) => (n > 1 ? 's' : '');
const FILE_WHY: Record<string, string> = {
  ENOENT: 'ce fichier n’existe pas (le chemin est-il juste ?)',
  ENOTDIR: 'ce fichier n’existe pas (le chemin est-il juste ?)',
  EISDIR: 'c’est un dossier, pas un fichier',
  EACCES: 'permission refusée',
  EPERM: 'permission refusée',
};
const fileWhy = (why: string) => FILE_WHY[why] ?? why;

/** The alphabets' names (tools/setup/class-roster.ts), as a French teacher reads them. */
const SCRIPTS_FR: Record<string, string> = {
  Latin: 'latin',
  Greek: 'grec',
  Cyrillic: 'cyrillique',
  Armenian: 'arménien',
  Georgian: 'géorgien',
  Hebrew: 'hébreu',
  Arabic: 'arabe',
  Devanagari: 'devanagari',
  Thai: 'thaï',
  Hangul: 'hangûl',
  Japanese: 'japonais',
};

/** Un message sous la classe qu'aucun binôme n'a pris : son texte et son topic. */
function stray(m: StrayMessage): string {
  return `${m.retained ? 'retenu : ' : ''}« ${m.text} » sur ${m.topic}`;
}

export const fr: CliWords = {
  unknownOption: (arg, near, help) => `option inconnue '${arg}'${near ? ` : vouliez-vous dire ${near} ?` : ''} (${help} liste les options)`,
  gluedValue: (f, example) => `option inconnue '${f}…' : mettez un espace entre ${f} et sa valeur, par exemple ${f} ${example}`,
  unexpectedArgument: (arg, help) => `argument inattendu '${arg}' : chaque valeur suit son option, par exemple -t classe/hello ou -m 'bonjour' (${help})`,
  needsValue: (arg, example, placeholder) => `${arg} attend une valeur${example ? `, par exemple ${arg} ${example}` : ` (${placeholder})`}`,
  takesNoValue: (arg, inline) => `${arg} ne prend pas de valeur (retirez « =${inline} »)`,
  notSupported: (arg, why) => `${arg} n'est pas pris en charge : ${why}`,
  numberRange: (flag, _what, min, max, text) => `${flag} attend un nombre entier de ${min} à ${max}, reçu '${text}'`,
  secondsRange: (flag, allowZero, max, text) =>
    `${flag} attend un nombre de secondes ${allowZero ? 'de 0' : 'au-dessus de 0'} à ${max} (24 jours), par exemple ${flag} 5, reçu '${text}'`,
  unknownCommand: (name, commands) => `commande inconnue '${name}' : les commandes sont ${commands}`,
  commandFirst: "mettez la commande d'abord, par exemple mqtt-pair sub -t hello",
  strayAfterUser: 'un argument inattendu suit -u <utilisateur> (non affiché : c’est peut-être un mot de passe) : mettez -P devant le mot de passe',
  benchInRepository: 'le banc d’essai est un outil de développement : lancez-le dans le dépôt, avec npm run bench',
  pagePortInUse: (port, host, example) => `le port ${port} est déjà pris sur ${host} : choisissez-en un autre avec ${example}`,
  pageNoAddress: (flag, host) => `${flag} ${host} : cet ordinateur n’a pas cette adresse (ses adresses : ip -4 addr, ou ipconfig sous Windows)`,
  pageCannotServe: (host, port, why) => `impossible de servir la page sur ${host}:${port} : ${why}`,
  internalError: (m) => `erreur interne : ${m} (MQTT_PAIR_DEBUG=1 donne les détails)`,
  usage: 'Usage : ',
  notSupportedFlags: 'Non pris en charge (options de mosquitto que mqtt-pair refuse en disant pourquoi) :',
  // clientid, qos, topic, url, port, ms, n… are the same in French (clientid as mosquitto's own).
  valueName: {
    'address[:port]': 'adresse[:port]',
    count: 'nombre',
    device: 'périphérique',
    file: 'fichier',
    filter: 'filtre',
    folder: 'dossier',
    host: 'hôte',
    name: 'nom',
    password: 'mot-de-passe',
    platform: 'plateforme',
    prefix: 'préfixe',
    role: 'rôle',
    seconds: 'secondes',
    user: 'utilisateur',
  },
  help: 'ce texte',
  topTitle: (v) => `mqtt-pair ${v} : les outils MQTT de la classe (comme mosquitto_pub et mosquitto_sub) et le simulateur des cartes`,
  topCommands: 'Commandes :',
  sep: ' : ',
  fileWhy,
  topUsage: 'mqtt-pair <commande> [options]',
  topFooter: "mqtt-pair <commande> --help (ou mqtt-pair help <commande>) liste les options d'une commande.",
  examples: 'Exemples :',
  summaries: {
    pub: 'publier un message (ou une ligne de l’entrée par message), comme mosquitto_pub',
    sub: 'recevoir les messages et les afficher, comme mosquitto_sub',
    sim: 'les deux cartes du binôme sur cet ordinateur (npm start)',
    classroom: 'simuler toute une classe de binômes, avec un tableau (ou une page, --web)',
    watch: 'suivre les binômes d’une classe sur un broker : une page (--web) ou un tableau, cartes réelles comprises',
    explore: 'le broker dans un navigateur : l’arbre des topics, l’historique, des courbes en direct, l’effacement des messages retenus',
    chat: 'discuter avec un autre élève : écrire sur <préfixe><nom>, lire <préfixe><binôme>',
    remote: 'la télécommande : les flèches du clavier publient up/down/left/right sur <préfixe>remote/command',
    actuator: "l'actionneur : un bloc coloré piloté par <préfixe>remote/command",
    image: 'faire l’image de la classe à partir de la compilation mcconfig : binaires, manifeste ESP Web Tools, ligne esptool',
    setup: 'régler une carte par USB (Improv) : WiFi, broker, et, d’après la liste de la classe, l’élève suivant (--port ; --list)',
    program: 'envoyer un programme JavaScript à une carte par USB (--port), puis afficher sa console ; --show, --clear',
    bench: 'mesurer le codec et le client face à mqtt-packet et MQTT.js (npm run bench ; --json)',
  },
  flagHelp: {
    '--broker':
      'le broker : hôte[:port], mqtt://[utilisateur:motdepasse@]hôte[:port], mqtts://… (TLS, port 8883), ws://hôte[:port][/chemin] ou wss://… (WebSocket, chemin /mqtt)',
    'watch --broker': 'le broker à suivre : hôte[:port] ou mqtt://[utilisateur:motdepasse@]hôte[:port], mqtts://, ws://, wss:// (par défaut : 127.0.0.1:1883)',
    'classroom --broker':
      'utiliser ce broker, sans en lancer un : hôte[:port] ou mqtt://[utilisateur:motdepasse@]hôte[:port], mqtts://, ws://, wss:// (par défaut : un broker intégré sur 127.0.0.1)',
    '-u': "le nom d'utilisateur que le broker connaît (comme mosquitto_pub -u)",
    '-P': 'le mot de passe (avec -u) ; jamais affiché',
    '--cafile': 'avec mqtts:// ou wss:// : le certificat (PEM ou DER) de l’autorité qui a signé celui du broker',
    '--insecure': 'avec mqtts:// ou wss:// : ne pas vérifier le nom d’hôte du certificat du broker',
    '--prefix': 'le préfixe des topics, par exemple LycMaurois/SNT_2nde/alice/',
    'chat --prefix': 'le préfixe des topics, par exemple LycMaurois/SNT_2nde/ (un / est ajouté s’il manque)',
    '--id': 'l’identifiant du client (pour le binôme, -1 et -2 sont ajoutés)',
    'chat --id': 'l’identifiant du client (par défaut : mqtt-pair-chat-<numéro du processus>)',
    '--no-wifi': 'sauter la connexion au WiFi simulé',
    'sim --program':
      'une seule carte, qui fait tourner ce programme JavaScript (mqtt.subscribe, mqtt.publish, every, print…) au lieu d’un rôle ; --role est ce qu’elle joue sans lui',
    'program --port': 'le port série de la carte (COM3 sous Windows)',
    'program --show': 'montrer le programme de la carte : son nom, sa taille et son empreinte',
    'program --clear': 'effacer le programme : la carte joue de nouveau son rôle',
    'program -W': 'après l’envoi, afficher la console de la carte aussi longtemps (par défaut : jusqu’à Ctrl+C)',
    '--help': 'ce texte',
    '--role':
      'pair (par défaut : les deux cartes), ou une seule carte, par exemple pour faire binôme avec une vraie : hello, responder, sensor, chat, remote, actuator',
    '--interval': 'millisecondes entre deux « Hello » (par défaut 5000) ou deux mesures du capteur (par défaut 1000)',
    '--late':
      'avec --roster : un binôme de la liste qui n’a encore rien dit reste orange ce nombre de minutes après le départ, puis passe au rouge « jamais connecté » (par défaut : 5)',
    'watch --interval':
      'l’intervalle des « Hello » des cartes, tant qu’il n’est pas appris (par défaut : 5000) : un binôme muet pendant environ 3 intervalles passe au rouge',
    'classroom --interval': 'millisecondes entre deux « Hello » d’un binôme (par défaut : 5000)',
    '--name': 'avec --role chat : le nom de cette carte ; elle répond sur <préfixe><nom>',
    '--peer': 'avec --role chat : qui elle écoute, sur <préfixe><binôme>',
    'chat --name': 'votre prénom : vous publiez sur <préfixe><nom>',
    'chat --peer': 'le prénom de votre binôme : vous lisez <préfixe><binôme>',
    '--web': 'servir la page de la classe sur http://127.0.0.1:<port>/ (0 : un port libre) ; sans elle, un tableau dans le terminal',
    'classroom --web': 'servir aussi la page de la classe sur http://127.0.0.1:<port>/ (0 : un port libre), où un binôme peut être arrêté puis relancé',
    '--school': 'avec --class : suivre <école>/<classe>/# (par défaut : tous les +/+/+/hello et +/+/+/notification)',
    'classroom --school': 'premier niveau des topics (par défaut : LycMaurois)',
    '--class': 'avec --school : la classe',
    'classroom --class': 'deuxième niveau des topics (par défaut : SNT_2nde)',
    '--duration': 'arrêter au bout de ce nombre de secondes (par défaut : à Ctrl+C)',
    'classroom --duration': 'arrêter au bout de ce nombre de secondes et dire comment cela s’est passé (par défaut : à Ctrl+C)',
    '--max-pairs':
      'suivre au plus ce nombre de binômes, en plus de la liste (par défaut : 100) : un nouveau prend la place d’un préfixe entendu une seule fois, sinon du binôme sans réponse muet depuis le plus longtemps',
    '--forget': 'un binôme muet depuis ce nombre de minutes quitte la page, sauf s’il est sur la liste (par défaut : 15 ; 0 : jamais)',
    '--roster':
      'la liste de la classe, un binôme par ligne (un ou deux prénoms, par exemple alice bob : le premier nomme le binôme) : chaque binôme de la liste a sa tuile dès le début, orange tant qu’il n’a rien dit, rouge « jamais connecté » s’il reste muet (--late)',
    '--lang': 'la langue des pages et des messages (par défaut : celle du navigateur pour les pages, du système pour le terminal)',
    '--student-broker': 'avec --web : le WebSocket du broker pour la page élève /student (par défaut : ws://<hôte du broker>:9001/mqtt)',
    '--listen':
      'avec --web : servir la page élève au réseau de la salle sur cette adresse (port : celui de --web plus un) ; la page de la classe reste sur 127.0.0.1',
    '--pairs': 'combien de binômes (deux cartes chacun) simuler, de 1 à 1000',
    '--until-ok': 's’arrêter dès que chaque binôme va bien (3 allers-retours chacun, rien d’égaré), ou à --duration',
  },
  brokerValue: (shown, { problem, fact }) => {
    switch (problem) {
      case 'scheme':
        return `--broker «\u00a0${shown}\u00a0» : ${fact}:// n’est pas pris en charge : écrivez ${BROKER_FORMS}`;
      case 'escape':
        return `--broker «\u00a0${shown}\u00a0» : un échappement % mal écrit dans le nom d’utilisateur ou le mot de passe (écrivez %40 pour @, %2F pour /, %25 pour %)`;
      case 'path':
        return `--broker «\u00a0${shown}\u00a0» : ${fact}:// n’a pas de chemin (seuls ws:// et wss:// en ont un) : retirez ce qui suit l’hôte et le port`;
      case 'pathChars':
        return `--broker «\u00a0${shown}\u00a0» : le chemin WebSocket a des espaces ou d’autres caractères à encoder en % (%20 pour une espace)`;
      case 'port':
        return `--broker «\u00a0${shown}\u00a0» : le port est un nombre de 1 à 65535, par exemple --broker 192.168.1.144:1883`;
      default:
        return `--broker «\u00a0${shown}\u00a0» ne nomme aucun hôte : écrivez ${BROKER_FORMS}`;
    }
  },
  caFile: (file, why) =>
    why === 'notCertificate'
      ? `--cafile : le fichier ${file} ne contient aucun certificat (PEM ou DER) : donnez le certificat de l’autorité (CA) qui a signé celui du broker`
      : `--cafile : impossible de lire le fichier de CA ${file} : ${fileWhy(why)}`,
  userNeedsBroker: (flag) => `${flag} va avec --broker, par exemple --broker 192.168.1.144 -u alice -P secret`,
  passwordNeedsUser: "-P (mot de passe) demande aussi -u (nom d'utilisateur) : MQTT 3.1.1 n'envoie un mot de passe qu'avec un nom",
  refusal: (code) => (code !== undefined && CONNACK_FR[code]) || `code ${code}`,
  refused: (where, code) => `le broker ${where} a refusé la connexion : ${fr.refusal(code)}`,
  // Words chosen from the kind and the CONNACK code: the command's own where it says more (what the
  // CONNACK code means, the two causes of no answer), else the pages' (tools/words/close-why.ts).
  closeReason: (reason, kind, code) => {
    if (kind === 'refused') return `connexion refusée : ${fr.refusal(code)}`;
    if (kind === 'unreachable') return 'aucun broker MQTT ne répond à cette adresse (connexion refusée ou machine injoignable)';
    return kind ? closeWhyFr({ kind, code, reason }) : reason;
  },
  closeLine: (f) => {
    switch (f.kind) {
      case 'refused': {
        const account = f.username === undefined ? fr.addAccount : fr.checkAccount(f.username);
        const hint = f.code === 4 || f.code === 5 ? ` : ${account}` : f.code === 2 ? ' : choisissez un autre identifiant avec -i' : '';
        return `${fr.refused(f.where, f.code)}${hint}`;
      }
      case 'unreachable':
        return `${fr.unreachable(f.where)} : vérifiez -h et -p, et que le broker est lancé`;
      case 'dns':
        return `${fr.dns(f.where)} : vérifiez -h, ou donnez l'adresse IP du broker`;
    }
    const why = fr.closeReason(f.reason, f.kind, f.code);
    return f.everConnected ? fr.lost(f.where, why) : fr.cannotConnect(f.where, why);
  },
  addAccount: "ce broker demande un nom d'utilisateur et un mot de passe : ajoutez -u <utilisateur> -P <mot de passe>",
  checkAccount: (user) => `vérifiez le nom d'utilisateur (-u ${user}) et le mot de passe (-P)`,
  unreachable: (where) => `aucun broker MQTT à l'adresse ${where} (connexion refusée ou machine injoignable)`,
  dns: (where) => `le nom du broker dans ${where} est introuvable`,
  checkBroker: 'vérifiez --broker, et que le broker est lancé',
  cannotConnect: (where, reason) => `connexion impossible à ${where} : ${reason}`,
  lost: (where, reason) => `connexion perdue avec ${where} : ${reason}`,
  chatConnected: (where, name, mine, peer, theirs) =>
    `connecté à ${where} : vous êtes ${name} sur ${mine}, vous lisez ${peer} sur ${theirs}. Tapez une ligne puis Entrée pour l'envoyer ; Ctrl+D ou Ctrl+C pour quitter.`,
  chatReconnected: (where) => `reconnecté à ${where}`,
  chatLost: (where, reason, sec) => `connexion perdue avec ${where} : ${reason} ; nouvel essai dans ${sec.replace('.', ',')} s`,
  chatNotSent: (line, why) => `« ${line} » non envoyé : ${why}`,
  chatCannotRead: (topic, why) => `impossible de lire ${topic} : ${why} (les règles d'accès du broker ?)`,
  chatRefused: (topic, user) =>
    `le broker a refusé l’abonnement à ${topic} : ses règles d’accès (ACL) ne laissent pas ${user === undefined ? 'un utilisateur sans compte' : `l’utilisateur ${user}`} lire là ; demandez à votre professeur, ou vérifiez --prefix et --peer`,
  chatUnacknowledged: (n, where) => `${n} ligne(s) non confirmée(s) par ${where} en 10 s : elles ne sont peut-être pas arrivées`,
  chatMissing: (key) => `--${key} manque : par exemple mqtt-pair chat --name alice --peer bob`,
  notText: (flag, what) =>
    `${flag} : ${{ id: 'l’identifiant', user: 'le nom d’utilisateur', password: 'le mot de passe' }[what]} contient une moitié de caractère UTF-16, que MQTT ne peut pas envoyer : retapez-le`,
  chatTitle:
    'mqtt-pair chat : le chat du cours. Ce que vous tapez est publié sur <préfixe><nom> ; ce que tape votre binôme, sur <préfixe><binôme>, s’affiche sous la forme « binôme: texte ».',
  chatUsageFooter: [
    'Chaque ligne part quand vous appuyez sur Entrée. Ctrl+D (la fin de l’entrée) ou Ctrl+C quitte le chat.',
    'Sans --broker : le broker de 127.0.0.1:1883.',
    '',
    'Exemple, sur deux ordinateurs de la classe :',
    '  mqtt-pair chat --broker 192.168.1.144 --prefix LycMaurois/SNT_2nde/ --name alice --peer bob',
    '  mqtt-pair chat --broker 192.168.1.144 --prefix LycMaurois/SNT_2nde/ --name bob --peer alice',
    "Cela marche aussi avec un tube : echo 'Bonjour Bob' | mqtt-pair chat --name alice --peer bob",
    'Une carte flashée avec role=chat répond « echo: <ligne> » à chaque ligne.',
  ],
  usingBroker: (where) => `Broker utilisé : ${where}`,
  embeddedBroker: (port, ws) => `Broker MQTT intégré (Aedes) à l'écoute sur 127.0.0.1:${port}${ws ? `, et pour la page élève sur ${ws}` : ''}`,
  port1883Taken: 'Le port 1883 est déjà pris sur cet ordinateur : la carte utilise le broker MQTT qui y est (127.0.0.1:1883)',
  arrowKeys: 'Flèches : haut, bas, gauche, droite ; r g b y c m w o : une couleur ; q : quitter.',
  pressCtrlC: 'Ctrl+C pour arrêter.',
  boardsSpeakEnglish: '(Les lignes des cartes restent en anglais, comme la console du cours.)',
  commandsNotSent: (n) => `${n} commande${s(n)} non envoyée${s(n)} : pas de connexion au broker`,
  stopped: 'Arrêté.',
  colours: { red: 'rouge', green: 'vert', blue: 'bleu', yellow: 'jaune', cyan: 'cyan', magenta: 'magenta', white: 'blanc', off: 'éteint' },
  simAbout: {
    sim: {
      title: 'mqtt-pair sim : les cartes du firmware sur cet ordinateur (npm start lance cette commande).',
      footer: [
        'Sans --role, le binôme du cours : l’ESP#1 publie « Hello #N » sur hello, l’ESP#2 répond « received »',
        'sur notification. Sans --broker, un broker intégré démarre sur 127.0.0.1:1883 (ou le port libre suivant) ;',
        'avec un seul --role, si le port 1883 est déjà pris (un autre mqtt-pair sim, Mosquitto), la carte',
        'utilise le broker qui y est.',
        '',
        'Les rôles :',
        '  hello      ESP#1 : Hello #N sur hello toutes les 5 s, écoute notification',
        '  responder  ESP#2 : répond « received » sur notification à chaque hello',
        '  sensor     température et pression chaque seconde, retenues, sur myRasp/sensors/temperature et',
        '             .../pression ; online/offline (son testament) sur myRasp/sensors/status',
        '  chat       répond « echo: <ligne> » sur <préfixe><nom> à chaque ligne de <préfixe><binôme>',
        '             (avec --name et --peer) ; voir mqtt-pair chat',
        '  remote     les flèches du clavier publient up/down/left/right sur remote/command (comme mqtt-pair remote)',
        '  actuator   affiche la couleur demandée sur remote/command dans un bloc coloré (comme mqtt-pair actuator)',
        '',
        'Les lignes des cartes restent en anglais, comme la console du cours.',
      ],
    },
    remote: {
      title: 'mqtt-pair remote : la télécommande du cours, une carte simulée avec role=remote.',
      footer: [
        'Chaque flèche pressée est publiée sur <préfixe>remote/command : up, down, left ou right ; les touches',
        'r g b y c m w o envoient une couleur (red, green, blue, yellow, cyan, magenta, white, off). q, Ctrl+C ou',
        'Ctrl+D quitte. Depuis un tube, elle lit une commande par ligne et s’arrête à la fin :',
        "  printf 'up\\nred\\n' | mqtt-pair remote --broker 192.168.1.144",
        'Un actionneur qui écoute le même préfixe change de couleur (haut vert, bas rouge, gauche jaune,',
        'droite bleu) : mqtt-pair actuator, ou une carte flashée avec role=actuator. Sans --broker, le broker',
        'de 127.0.0.1:1883, ou un broker intégré.',
      ],
    },
    actuator: {
      title: 'mqtt-pair actuator : l’actionneur du cours (une fenêtre qui change de couleur), une carte simulée avec role=actuator.',
      footer: [
        'Il écoute <préfixe>remote/command et montre chaque couleur demandée dans un bloc coloré, avec son nom :',
        'haut vert, bas rouge, gauche jaune, droite bleu, ou un nom de couleur (red, green, blue, yellow, cyan,',
        'magenta, white, off). Ctrl+C l’arrête. Pilotez-le avec mqtt-pair remote, une carte flashée avec',
        'role=remote, ou à la main :',
        '  mqtt-pair pub -h 192.168.1.144 -t LycMaurois/SNT_2nde/alice/remote/command -m up',
      ],
    },
  },
  watching: (filters, where) => `Suivi de ${filters} sur ${where}`,
  observeRefused: (where, filter) =>
    `le broker ${where} a refusé l’abonnement à ${filter} : ses règles d’accès (ACL) ne laissent pas cet utilisateur lire là ; donnez avec -u un utilisateur qui peut lire les topics de la classe`,
  reconnecting: 'reconnexion en cours',
  cannotWatch: (where, why) => `impossible de suivre le broker ${where} : ${why} : vérifiez --broker, et que le broker est lancé`,
  exploring: (filters, where) => `Exploration de ${filters} sur ${where}`,
  explorerAt: (url) => `L’explorateur : ${url}  (Ctrl+C pour arrêter)`,
  exploreEnd: (messages, topics, dropped) =>
    `${messages} message${s(messages)} sur ${topics} topic${s(topics)}${dropped ? ` (${dropped} autres topics non gardés : --max-topics)` : ''}`,
  cannotExplore: (where, why) => `impossible d’explorer le broker à ${where} : ${why} : vérifiez --broker, et que le broker tourne`,
  exploreRefused: (where, filter) =>
    `le broker ${where} a refusé l’abonnement à ${filter} : ses règles d’accès (ACL) ne laissent pas cet utilisateur lire là ; donnez à -t un filtre qu’il permet, ou un autre -u`,
  explorePageFailed: (why) => `mqtt-pair explore : une page n’a pas pu être servie (${why}) ; l’explorateur continue`,
  classroomView: (url, ctrlC) => `Page de la classe : ${url}${ctrlC ? '  (Ctrl+C arrête)' : ''}`,
  studentsPage: (url, broker, prefix) => `Page élève : ${url}  (broker ${broker}${prefix ? `, topics ${prefix}…` : ''})`,
  openToNetwork: '  ouverte au réseau de la salle : tout le monde sur ce réseau peut ouvrir la page élève (la page de la classe reste sur 127.0.0.1)',
  pairsSeen: (total, counts) => `${total} binôme${s(total)} vu${s(total)} : ${counts}`,
  counts: (ok, wait, silent) => `${ok} ok, ${wait} en attente, ${silent} muet${s(silent)}`,
  everyClass: 'Toutes les classes',
  watchingSubtitle: (filters, where) => `suivi de ${filters} sur ${where}`,
  notConnected: (where, problem) => `Pas connecté au broker ${where} : ${problem}`,
  messagesSeen: (n) => `${n} message${s(n)} vu${s(n)}`,
  heardOnce: (n, count) => ` ; ${n} préfixe${s(count)} entendu${s(count)} une seule fois, pas encore affiché${s(count)}`,
  pairsIgnored: (more, pairs, messages) => ` ; ${more ? 'plus de ' : ''}${pairs} autres binômes ignorés (${messages} messages, au-delà de --max-pairs)`,
  tableHead: {
    sim: ['binôme', 'état', 'cartes', 'hellos', 'réponses', 'reconn.', 'dernière erreur'],
    watch: ['binôme', 'état', 'hellos', 'réponses', 'dernier', 'entendu', 'pourquoi'],
  },
  ago: (d) => `il y a ${d}`,
  andMore: (n, counts) => (counts ? `… et ${n} autres binômes (${counts})` : `… et ${n} autres`),
  pairsLine: (total, counts) => `${total} binôme${s(total)} : ${counts}`,
  watchAbout: {
    title: 'mqtt-pair watch : chaque binôme d’une classe, en direct, vu depuis le broker (cartes réelles ou simulées).',
    footer: [
      'Un binôme, ce sont les deux cartes qui publient sur <préfixe>hello et <préfixe>notification, par exemple',
      'LycMaurois/SNT_2nde/alice/hello. Chaque binôme est une tuile : verte (OK) quand son dernier hello a eu sa',
      'réponse, orange (En attente) quand il démarre ou attend une réponse, rouge (Muet, Sans réponse) après',
      'environ 3 intervalles sans message ou sans réponse.',
      '',
      'Exemples :',
      '  mqtt-pair watch --broker 192.168.1.144 --web 8080 --school LycMaurois --class SNT_2nde',
      '  mqtt-pair watch --broker 192.168.1.144          (un tableau dans ce terminal, tous les préfixes)',
      'La page est servie sur 127.0.0.1 seulement : ouvrez-la sur cet ordinateur (ou au vidéoprojecteur).',
    ],
  },
  classroomAbout: {
    title: 'mqtt-pair classroom : toute une classe de binômes simulés (une ESP#1 et une ESP#2 chacun) dans ce processus.',
    footer: [
      'Chaque binôme parle sous son propre préfixe, <école>/<classe>/<prénom>/hello et …/notification, avec',
      'les prénoms alice, bob, camille, … (ou ceux de --roster). Un tableau montre chaque binôme (cartes',
      'connectées, hellos, réponses, reconnexions, dernière erreur) ; à la fin, « N/N binômes ok ». Un binôme',
      'va bien quand il a fait au moins 3 allers-retours hello/received et qu’aucun message n’est passé chez',
      'un autre binôme. Les autres messages sous la classe (les valeurs retenues d’un capteur) sont comptés et',
      'montrés, sans rien faire échouer. Sur la page (--web), un binôme peut être arrêté, pour montrer ce',
      'qu’une tuile rouge veut dire, puis relancé ; un binôme arrêté n’est pas jugé.',
      '',
      'Exemples :',
      '  mqtt-pair classroom --pairs 15                              (broker intégré, jusqu’à Ctrl+C)',
      '  mqtt-pair classroom --pairs 30 --broker 192.168.1.144 --duration 60 --web 8080',
      '  mqtt-pair classroom --pairs 30 --broker 192.168.1.144 --until-ok --duration 300',
      'Code de sortie : 0 quand chaque binôme va bien ; 1 sinon, ou pour une option fausse.',
    ],
  },
  classroomStart: (count, group, where, interval, how) =>
    `${count} binôme${s(count)} (${2 * count} cartes simulées) sous ${group}/<prénom>/ sur ${where}, un hello toutes les ${interval} ms${how}`,
  classroomHow: (runFor, untilOk) =>
    (untilOk ? ' jusqu’à ce que chaque binôme aille bien' : '') +
    (runFor ? ` ${untilOk ? 'ou' : 'pendant'} ${runFor} s` : untilOk ? ' ou Ctrl+C' : ' jusqu’à Ctrl+C'),
  embeddedWhere: 'broker intégré',
  brokerUrl: {
    form: (shown) =>
      `-L attend une URL de la forme mqtt://[utilisateur[:mot_de_passe]@]hôte[:port]/topic (ou mqtts://, ou ws:// et wss:// avec /chemin/topic), reçu '${shown}'`,
    scheme: (shown, scheme) =>
      `-L ${shown} : le schéma '${scheme}://' n’est pas pris en charge, écrivez mqtt://[utilisateur[:mot_de_passe]@]hôte[:port]/topic (ou mqtts://, ou ws:// et wss:// avec /chemin/topic)`,
    escape: (shown) => `-L ${shown} : un échappement % mal écrit dans le nom d’utilisateur ou le mot de passe (écrivez %40 pour @, %2F pour /, %25 pour %)`,
    emptyUser: (shown) =>
      `-L ${shown} : le nom d’utilisateur avant '@' est vide, écrivez mqtt://[utilisateur[:mot_de_passe]@]hôte[:port]/topic (ou mqtts://, ou ws:// et wss:// avec /chemin/topic)`,
    ipv6: (shown) => `-L ${shown} : un '[' sans ']' autour d’une adresse IPv6, ou pas de ':port' après ']'`,
    noHost: (shown) =>
      `-L ${shown} : pas de nom d’hôte, écrivez mqtt://[utilisateur[:mot_de_passe]@]hôte[:port]/topic (ou mqtts://, ou ws:// et wss:// avec /chemin/topic)`,
    port: (shown) => `-L ${shown} : le port est un nombre de 1 à 65535`,
    path: (shown, path) => `-L ${shown} : le chemin WebSocket '${path}' a des espaces ou d’autres caractères à encoder en %`,
    noTopic: (shown, example) => `-L ${shown} : il manque le topic, ajoutez-le après l’hôte, par exemple ${example}`,
  },
  format: {
    escape: (ch) => `-F : \\${ch} n’est pas un échappement que mqtt-pair connaît : écrivez \\n \\t \\r \\v \\a \\e \\0 ou \\\\`,
    time: (ch, known) => `-F : @${ch} n’est pas un format d’heure que mqtt-pair affiche (il connaît ${known} ; @c, @x et @X dépendent de la langue du système)`,
    v5: (ch) => `-F : %${ch} est une propriété de MQTT v5, et mqtt-pair parle MQTT 3.1.1`,
    code: (ch) => `-F : %${ch} n’est pas un code de format : écrivez %t %p %q %r %l %m %x %X %I %U %j %J ou %%`,
  },
  pubSub: {
    tlsOverWs: (flag) => `${flag} est pour TLS : écrivez l’URL en wss:// au lieu de ws://`,
    insecureNoTls: '--insecure ne vaut que pour TLS : avec --cafile, -L mqtts:// ou -L wss://',
    hostAlone: (shown) =>
      `-h prend un nom d’hôte ou une adresse seuls, reçu '${shown}' : donnez l’utilisateur avec -u et le mot de passe avec -P, ou l’URL entière avec -L`,
    hostNeeded: (shown) => `-h attend un nom d’hôte ou une adresse IP, par exemple -h 192.168.1.144${shown === undefined ? '' : `, reçu '${shown}'`}`,
    only311: (protocol) => `-V ${protocol} : mqtt-pair ne parle que MQTT 3.1.1, écrivez -V mqttv311 ou retirez -V`,
    idAndPrefix: '-i et -I ne vont pas ensemble : donnez l’identifiant entier avec -i, ou un préfixe avec -I',
    idEmpty: '-i attend un identifiant qui n’est pas vide, par exemple -i poste-prof',
    persistNeedsId: '-c (garder la session) demande un identifiant qui reste le même d’une fois à l’autre : ajoutez -i <id>, par exemple -c -i poste-prof',
    willNeedsTopic: (flag) => `${flag} demande aussi --will-topic, par exemple --will-topic class/alice/status`,
    tooLong: (what, bytes) =>
      `${{ id: 'l’identifiant', user: 'le nom d’utilisateur', password: 'le mot de passe', will: '--will-payload' }[what]} fait ${bytes} octets, MQTT en permet 65535 au plus`,
    pubNoTopic: "pas de topic : dites où publier avec -t, par exemple -t class/hello -m 'salut'",
    pubEmptyTopic: 'le topic est vide : donnez-en un avec -t, par exemple -t class/hello',
    pubBadTopic: (why) => `${why}, par exemple -t class/hello`,
    oneMessage: 'un seul message : un seul de -m, -f, -n, -s ou -l, une fois',
    noMessage:
      "pas de message : ajoutez -m 'texte' (ou -f fichier, -n pour un message vide, -s pour lire l’entrée standard, -l pour un message par ligne de l’entrée standard)",
    repeatNotLines: '--repeat va avec -m, -f, -n et -s, pas avec -l',
    tooBig: (what, bytes, room) =>
      `${what} fait ${bytes > room ? `plus de ${room}` : bytes} octets, plus que MQTT ne permet dans un paquet avec ce topic (256 Mo)`,
    theMessage: 'le message',
    theFile: (file) => `le fichier '${file}'`,
    theStdin: 'le message lu sur l’entrée standard',
    cannotReadFile: (file, why) => `-f : impossible de lire le fichier '${file}' : ${fileWhy(why)}`,
    subNoTopic: "pas de topic : dites quoi écouter avec -t, par exemple -t hello ou -t 'class/#'",
    subEmptyFilter: '-t attend un filtre de topic qui n’est pas vide, par exemple -t hello',
    removeRetainedNeedsEnd:
      '--remove-retained demande une fin : ajoutez --retained-only (arrêt au premier message en direct) et -W secondes (arrêt s’il n’y en a pas), par exemple --remove-retained --retained-only -W 5',
    removeRetainedSkipped: '-R saute les messages retenus que --remove-retained efface : gardez-en un',
    retainedContradict: '-R (sans messages retenus) et --retained-only se contredisent : gardez-en un',
  },
  classroomHowMany: 'dites combien de binômes simuler avec --pairs, par exemple --pairs 30 (ou nommez-les avec --roster FICHIER)',
  classroomRosterNames: (group) => `--roster : classroom simule les binômes d’une seule classe : écrivez seulement des prénoms (ils vont sous ${group}/)`,
  classroomPairsAndRoster: (pairs, names) => `--pairs ${pairs} et une liste de ${names} prénom${s(names)} : donnez l’un ou l’autre`,
  cannotObserve: (filter, where, why) => `impossible d’observer ${filter} sur le broker ${where} : ${why}`,
  embeddedLocalOnly:
    '  (le broker intégré n’écoute que sur cet ordinateur : pour les postes des élèves, donnez --broker, un broker qui écoute aussi en WebSocket)',
  goesWithWeb: (flag) => `${flag} va avec --web : la page élève est servie à côté de la page de la classe, par exemple --web 8080`,
  langValue: (value) => `--lang attend fr ou en, reçu '${value}'`,
  topicLevel: (flag, example, value) => `${flag} attend un seul niveau de topic, sans / + ni #, par exemple ${flag} ${example}, reçu '${value}'`,
  rosterUnreadable: (file, why) => `--roster : impossible de lire '${file}' : ${fileWhy(why)}`,
  dotNote: (value) => `remarque : '${value}' contient un '.' : sur un broker RabbitMQ, un '.' dans un topic devient un '/' ; écrivez plutôt '_' ou '-'`,
  listenAddress: (value) =>
    `--listen attend l’adresse de cet ordinateur sur le réseau de la salle, par exemple --listen 192.168.1.10 ou --listen 0.0.0.0:8081, reçu '${value}'`,
  listenNoPort: (webPort, example) =>
    `--web ${webPort} ne laisse pas de port après lui pour la page élève : donnez-en un avec --listen ${example}, ou un port --web plus petit`,
  studentBrokerWs: (value) => `--student-broker attend l’adresse WebSocket du broker, par exemple --student-broker ws://192.168.1.144:9001, reçu '${value}'`,
  studentBrokerAccount: (value) =>
    `--student-broker ${value} : sans nom d’utilisateur ni mot de passe : la page de chaque élève montre cette adresse ; les élèves tapent les leurs sur la page`,
  schoolAndClass: '--school et --class vont ensemble, par exemple --school LycMaurois --class SNT_2nde',
  tlsOnly: (flag, write) => `${flag} est pour un broker TLS : ${write ? 'écrivez' : 'ajoutez'} --broker mqtts://… ou wss://…`,
  programOneBoard: '--program fait tourner une seule carte : donnez avec --role le rôle qu’elle joue sans son programme, par exemple --role hello',
  unknownRole: (role, roles) => `--role « ${role} » est inconnu : choisissez ${roles.slice(0, -1).join(', ')} ou ${roles.at(-1)}`,
  chatNeedsNamePeer: '--role chat demande --name et --peer, par exemple --name esp --peer alice',
  topicWhy: (why) =>
    ({
      empty: 'un topic ne peut pas être vide',
      long: 'un topic fait au plus 65535 octets',
      surrogate: 'il contient une moitié de caractère UTF-16, que MQTT ne peut pas envoyer',
      nul: 'un topic ne peut pas contenir U+0000',
      hash: '# doit être un niveau entier, et le dernier, comme dans a/b/#',
      plus: '+ doit être un niveau entier, comme dans a/+/c',
      wildcard: 'les jokers + et # ne servent qu’aux abonnements',
    })[why],
  exploreFilter: (filter, why) => `-t «\u00a0${filter}\u00a0» : ${fr.topicWhy(why)}`,
  chatNotATopic: (key, value, prefix, why) => `--${key} « ${value} » (avec --prefix « ${prefix} ») n’est pas un topic : ${why}`,
  classroomEnd: {
    ran: (count, elapsed, where, interval, connected) =>
      `${count} binôme${s(count)} (${2 * count} cartes simulées) pendant ${elapsed.replace('.', ',')} s sur ${where}, un hello toutes les ${interval} ms ; ${connected}`,
    allConnected: (d) => `toutes les cartes connectées en ${d}`,
    someConnected: (up, of) => `${up} cartes sur ${of} se sont connectées`,
    messages: (total, hellos, replies, seen) =>
      `Messages : ${total} publiés par les cartes (${hellos} hellos, ${replies} réponses), ${seen} vus par l'observateur`,
    cpu: (total, user, system, percent, perMessage, broker) =>
      `Processeur : ${total.replace('.', ',')} s (utilisateur ${user.replace('.', ',')} s, système ${system.replace('.', ',')} s), ${percent} % d'un cœur ; ` +
      (perMessage !== undefined ? `${perMessage} µs par message` : 'aucun message') +
      ` (cartes et observateur${broker ? ', et le broker' : ''}, tous dans ce processus)`,
    memory: (rss, max, heap) =>
      `Mémoire : ${rss.replace('MB', 'Mo')} résidents à la fin (${max.replace('MB', 'Mo')} au plus), ${heap.replace('MB', 'Mo')} de tas JavaScript`,
    notOk: (name, why) => `Pas ok : ${name} : ${why}`,
    verdict: {
      crossed: (n, first) => `topics mélangés (${n}) : ${tileWords.crossing(first)}`,
      neverStarted: 'jamais démarré (la répétition s’est terminée avant)',
      noHello: (r) => `${r} aller${r > 1 ? 's' : ''}-retour${r > 1 ? 's' : ''} : l’ESP#1 n’a envoyé aucun hello`,
      noAnswer: (r, sent) => `${r} aller${r > 1 ? 's' : ''}-retour${r > 1 ? 's' : ''} : l’ESP#1 a envoyé ${sent} hellos, l’ESP#2 n’a répondu à aucun`,
      answersLost: (answered) => `0 aller-retour : l’ESP#2 a répondu à ${answered} hellos, mais aucune réponse n’est arrivée à l’ESP#1`,
      fewRounds: (r) => `seulement ${r} aller${r > 1 ? 's' : ''}-retour${r > 1 ? 's' : ''}, il en faut 3 (un --duration plus long ?)`,
      unseen: 'l’observateur n’a pas vu ses messages : impossible d’exclure des topics mélangés',
      lastError: (v, last) => `${v} ; dernière erreur ${tileWords.failure(last)}`,
    },
    notOkMore: (n) => `Pas ok : … et ${n} autres binômes`,
    summary: (ok, of, stopped, foreign, other, firstForeign, firstOther) =>
      `${ok}/${of} binômes ok` +
      (stopped ? ` (${stopped} arrêté${s(stopped)} depuis la page)` : '') +
      (foreign ? ` ; ${foreign} message${s(foreign)} sur des topics d'aucun binôme${firstForeign ? ` (${stray(firstForeign)})` : ''}` : '') +
      (other ? ` ; ${other} autre${s(other)} message${s(other)} sous la classe, non jugé${s(other)}${firstOther ? ` (${stray(firstOther)})` : ''}` : ''),
    noPairTopic: (m) => `Topic d'aucun binôme : ${stray(m)}`,
  },
  shortRun: (sec, interval) => `remarque : ${sec} s laissent peu de temps pour 3 allers-retours à un hello toutes les ${interval} ms`,
  boardsDetails: (up, of, hellos, replies, reconnects) =>
    `cartes ${up}/${of} connectées ; ${hellos} hellos, ${replies} réponses, ${reconnects} reconnexion${s(reconnects)}`,
  setup: {
    onLine: (line, shown) => (shown === undefined ? `ligne ${line} :` : `ligne ${line} (« ${shown} ») :`),
    onePairALine: 'écrivez un binôme par ligne, un ou deux prénoms',
    notATopic: 'un prénom ne contient pas de + (MQTT le réserve aux abonnements) : écrivez un binôme par ligne, un ou deux prénoms',
    needsClass: (name) =>
      `«\u00a0${name}\u00a0» demande --school et --class pour faire son préfixe (ou écrivez-le en entier, par exemple LycMaurois/SNT_2nde/${name})`,
    noName: 'elle ne contient aucun prénom : écrivez un binôme par ligne, par exemple alice bob',
    tooManyPairs: (pairs, max) => `elle compte ${pairs} binômes, ${max} au plus`,
    badName: (name, why, scripts) =>
      why === 'mixed'
        ? `« ${name} » mélange des alphabets (${scripts.map((x) => SCRIPTS_FR[x] ?? x).join(' et ')}) : au projecteur on lirait le nom d’un autre élève ; retapez-le dans un seul alphabet`
        : why === 'compat'
          ? `« ${name} » contient des formes spéciales de lettres (pleine chasse, ligatures) : retapez-le en lettres simples`
          : 'écrivez un binôme par ligne, un ou deux prénoms (lettres, chiffres, - ou _ : ils deviennent des niveaux de topic)',
    nameTwice: (name, line, other) =>
      name.toLowerCase() === other.toLowerCase()
        ? `« ${name} » est déjà ligne ${line} : deux élèves, deux prénoms (ajoutez une initiale : ${name}_B)`
        : `« ${name} » se lit comme « ${other} » ligne ${line} : deux élèves, deux prénoms qu’on distingue (ajoutez une initiale : ${other}_B)`,
    locked: (lock, seconds) => `un autre mqtt-pair setup tient ${lock} depuis ${seconds} s : attendez-le, ou supprimez ${lock} si aucun ne tourne`,
    badState: (file) => `${file} n’est pas ce qu’écrit mqtt-pair setup : supprimez-le pour recommencer la classe`,
    migrated: (file, backup) => `${file} : réécrit par prénom (l’ancien fichier, par numéro de ligne, est gardé dans ${backup})`,
    classFull: (n, roster, state) => `la classe est complète : les ${n} élèves de ${roster} ont une carte (supprimez ${state} pour recommencer)`,
    imageWhichBoard: 'quelle carte ? -p esp32 (ou esp32/esp32c3, esp32/esp32s3, esp), comme pour mcconfig',
    imageNoModdable: 'MODDABLE n’est pas défini : lancez ceci là où mcconfig marche, ou donnez le dossier de sortie de mcconfig avec -o',
    imageRead: (name, version, family, variant, kb, source) => `${name} ${version} pour ${family} (compilation ${variant}, ${kb} Ko), lue dans ${source} :`,
    imageWritten: (shown) => [
      `Écrite dans ${shown}/ : manifest.json pour ESP Web Tools (mqtt-pair setup --web 8090 --image ${shown}),`,
      'et write_flash.sh, qui lance, dans ce dossier :',
    ],
    cannotOpenPort: (path, why) =>
      `impossible d’ouvrir ${path} : ${
        why === 'none'
          ? 'ce port n’existe pas (mqtt-pair setup --list montre les ports)'
          : why === 'denied'
            ? 'permission refusée (sous Linux : sudo usermod -aG dialout $USER, puis reconnectez-vous)'
            : why === 'busy'
              ? 'le port est occupé (fermez le moniteur série, xsbug ou la page qui l’utilise)'
              : why
      }`,
    noSerialPackage:
      'le paquet serialport n’est pas installé : npm install serialport (il contient ses binaires), ou utilisez mqtt-pair setup --web dans Chrome',
    noSerialPort: 'Aucun port série : branchez une carte avec un câble USB de données (certains câbles ne font que charger).',
    likelyBoard: (board) => `${board} : sans doute une carte`,
    pageBanner: (url) => `La page de réglage de la classe : ${url} (ouvrez-la dans Chrome ou Edge ; Ctrl+C pour arrêter)`,
    setUp: (board, chip, version, w, prefix, ssid) =>
      `${board} (${chip}, mqtt-pair ${version}) réglée : ${
        w.name ? `${w.name} (binôme ${w.pair}, ESP#${w.esp}, ${w.role}${w.peer ? `, avec ${w.peer}` : ', les deux cartes'})` : `rôle ${w.role || '(aucun)'}`
      } sur ${prefix || '(sans préfixe)'}${ssid ? `, WiFi « ${ssid} »` : ''}`,
    firstMessage: (where, topic, text) => `son premier message est arrivé à ${where} : ${topic} ${text}`,
    nothingCame: (topic, where, seconds, problem, responder, last) =>
      `la carte est réglée, mais rien n’est arrivé sur ${topic} à ${where} en ${seconds} s${problem ? ` (cet ordinateur : ${problem})` : ''}${
        responder ? ' (une ESP#2 ne répond qu’une fois que son ESP#1 dit hello)' : ''
      } : ${last ? `sa dernière ligne : « ${last} »` : 'vérifiez l’adresse du broker donnée à la carte'}`,
    boardError: (code) =>
      ({
        1: 'la carte n’a pas compris la commande : réessayez',
        2: 'la carte ne connaît pas cette commande : son firmware est-il un mqtt-pair plus ancien ?',
        3: 'la carte n’a pas pu rejoindre le WiFi : vérifiez son nom et son mot de passe, et que le réseau est à portée (2,4 GHz)',
        128: 'la carte refuse un réglage',
        255: 'la carte n’a pas pu le faire (mémoire pleine, ou un WiFi déjà en cours) : réessayez',
      })[code] ?? `la carte n’a pas pu le faire (erreur Improv 0x${code.toString(16)})`,
    otherFirmware: (port, firmware) =>
      `la carte sur ${port} a un autre firmware (${firmware || 'sans nom'}) que mqtt-pair : installez-le d’abord (mqtt-pair setup --web, ou write_flash.sh de mqtt-pair image)`,
    lacks: (keys) =>
      `il manque à la carte ${keys.map((k) => (k === 'role' ? 'son rôle' : 'son broker')).join(' et ')} : donnez ${keys
        .map((k) => (k === 'role' ? '--roster (ou role=hello)' : `--${k}`))
        .join(' et ')}`,
    noWifi: 'la carte n’a pas de réglages WiFi : donnez --ssid et --password',
    silent: (port) => `la carte sur ${port} ne répond plus : est-elle encore branchée ? Recommencez`,
    refused: (r) => refusalLine('fr', r),
    noAnswer: (port, seconds) =>
      `pas de réponse de ${port} en ${seconds} s : y a-t-il bien une carte avec mqtt-pair, et aucun moniteur série (ou xsbug) sur ce port ? (mqtt-pair setup --list)`,
    webOrPort: '--web ou --port : la page règle les cartes depuis Chrome, --port depuis cette commande',
    passwordNeedsSsid: '--password va avec --ssid, par exemple --ssid WiFiClasse --password secret',
    rosterNeedsClass: '--roster demande --school et --class, par exemple --school LycMaurois --class SNT_2nde',
    cannotReadRoster: (roster, why) => `impossible de lire la liste ${roster} : ${fileWhy(why)}`,
    passwordOnPage: '--password se tape sur la page, qui ne l’envoie qu’à la carte : retirez-le avec --web',
    settingsWithPort: 'les réglages clé=valeur vont avec --port ; la page donne le broker et les réglages de la liste',
    whichBoard:
      'quelle carte ? --web 8090 (la page, dans Chrome) ou --port /dev/ttyUSB0 (cette commande ; COM3 sous Windows ; mqtt-pair setup --list montre les ports)',
    imageWithWeb: '--image va avec --web (la page l’installe) ; pour cette commande, installez avec write_flash.sh de l’image',
    noManifest: (image) => `${image} n’a pas de manifest.json : faites d’abord l’image, par exemple mqtt-pair image -p esp32 (elle écrit build/image/esp32)`,
    notASetting: (key, keys) => `${key}=… : ce n’est pas un réglage de la carte ; les réglages sont ${keys}`,
    programOnPage: '--program va avec --port ; avec --web, le programme du jour se choisit sur la page',
    replaceNeedsRoster: (name) => `--replace ${name} va avec la liste de la classe : --roster classe.txt --school LycMaurois --class SNT_2nde`,
    notOnRoster: (name, roster) => `« ${name} » n’est sur aucune ligne de ${roster} : vérifiez le prénom (rien n’a changé)`,
    replaced: (name, boards) =>
      `${boards.length ? `${name} n’a plus ${boards.length > 1 ? 'ses cartes' : 'sa carte'} ${boards.join(', ')}` : `${name} n’avait pas encore de carte`} : la prochaine carte branchée est la sienne`,
    overflow: (port, max) =>
      `la carte sur ${port} a envoyé plus de ${max} réponses à une commande sans la terminer : a-t-elle bien mqtt-pair ? (je ne l’écoute plus)`,
  },
  program: {
    title: 'mqtt-pair program : envoyer le programme d’un élève à une carte par USB, puis afficher sa console',
    which: 'quelle carte ? --port /dev/ttyUSB0 (COM3 sous Windows ; mqtt-pair setup --list montre les ports)',
    noFile: (file, why) => `impossible de lire ${file} : ${fileWhy(why)}`,
    empty: (file) => `${file} est vide : un programme a au moins une ligne`,
    tooLarge: (file, bytes, max) => `${file} fait ${bytes} octets : une carte prend un programme de ${max} octets au plus`,
    notUtf8: (file, line) => `${file} n’est pas du texte UTF-8 (ligne ${line}) : enregistrez-le en UTF-8 dans l’éditeur`,
    nameTooLong: (name, max) => `le nom ${name} est trop long : ${max} octets au plus (renommez le fichier)`,
    refused: (r) => `la carte a refusé le programme${r.key ? ` ${printable(r.key)}` : ''} et garde le sien : ${programRefusal('fr', r)}`,
    oldFirmware: (port) =>
      `la carte sur ${port} ne prend pas de programme : son firmware est plus ancien, ou sans analyseur JavaScript (flashez de nouveau l’image de la classe)`,
    cutOff: (port) => `la carte sur ${port} ne répond plus : elle garde son programme ; recommencez`,
    sent: (name, bytes, hash) => `${name} envoyé : ${bytes} octets, empreinte ${hash} ; la carte redémarre pour le lancer`,
    following: (seconds) => `La console de la carte${seconds ? ` pendant ${seconds} s` : ''} (Ctrl+C pour arrêter) :`,
    shown: (name, bytes, hash) => `programme ${name} : ${bytes} octets, empreinte ${hash}`,
    safeMode: (stops, code) =>
      `La carte est en mode sans échec : le programme a été arrêté ${stops} fois de suite (${stopReason('fr', code)}). Envoyez-en un corrigé, ou --clear.`,
    started: (name) => `→ la carte lance le programme ${name}`,
    threw: (line, column, message) =>
      `→ erreur du programme${line ? `, ligne ${line}${column ? `, colonne ${column}` : ''}` : ''} : ${message} (la carte continue avec ce qui tourne déjà)`,
    stopped: (code, count, of) =>
      `→ la carte a arrêté le programme (${stopReason('fr', code)}) et redémarre : ${count} fois de suite sur ${of} avant le mode sans échec`,
    restarted: (code, count, of) =>
      `→ la carte a redémarré : le programme s’était arrêté (${restartCause('fr', code)}), ${count} fois de suite${count < of ? ` sur ${of} avant le mode sans échec` : ' : la carte joue son rôle sans lui (mode sans échec)'}`,
    none: 'aucun programme sur la carte : elle joue son rôle',
    cleared: 'programme effacé : la carte redémarre dans son rôle',
    nothingToClear: 'il n’y avait pas de programme sur la carte',
    onlyOne: 'un fichier, --show ou --clear : un seul des trois',
  },
};
