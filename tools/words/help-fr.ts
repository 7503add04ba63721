// The --help of setup, image, explore, pub and sub, in French (under a French locale or with
// --lang fr): the title, each flag's line by its first name, and what follows the flags. The
// English stays beside each flag in its command's file; usageText (tools/cli/flags.ts) picks.

import { SETTINGS } from '../../src/setup/settings';

export interface CommandHelp {
  title: string;
  flags: Record<string, string>;
  footer: string[];
}

/** The flags of pub and sub both (mosquitto's), in French. */
const CLIENT: Record<string, string> = {
  '-h': 'le broker où se connecter (par défaut : localhost, c’est-à-dire 127.0.0.1)',
  '-p': 'le port du broker (par défaut : 1883 ; 8883 avec TLS)',
  '-L': 'broker, utilisateur, mot de passe, port et topic en une URL : mqtt://[utilisateur[:motdepasse]@]hôte[:port]/topic, mqtts:// pour TLS (port 8883), ws:// ou wss:// pour WebSocket, le chemin d’abord : ws://hôte:8080/mqtt/topic ; -h, -p, -u et -P remplacent ses parties',
  '-u': 'le nom d’utilisateur pour le broker',
  '-P': 'le mot de passe pour le broker (avec -u) ; jamais affiché',
  '-i': 'l’identifiant de client (par défaut : mqtt-pair-<commande>-<numéro du processus>)',
  '-I': 'un identifiant de client fait de ce préfixe et du numéro du processus',
  '-k': 'le keepalive en secondes, de 1 à 65535 (par défaut : 60)',
  '-c': 'garder la session sur le broker d’une fois à l’autre (avec -i)',
  '-V': 'la version du protocole MQTT : seulement mqttv311 (par défaut)',
  '--will-topic': 'le topic du testament : ce que le broker publie si ce client disparaît sans DISCONNECT',
  '--will-payload': 'le message du testament (par défaut : vide)',
  '--will-qos': 'la QoS du testament, 0, 1 ou 2 (par défaut : 0)',
  '--will-retain': 'faire du testament un message retenu',
  '-d': 'afficher chaque paquet MQTT envoyé et reçu, sur la sortie standard comme mosquitto (jamais les mots de passe)',
  '--quiet': 'ne pas afficher les erreurs de connexion ni les avertissements (les mauvais arguments restent signalés)',
  '--cafile': 'TLS : faire confiance au certificat d’autorité de ce fichier (PEM ou DER) pour vérifier celui du broker ; active TLS, port 8883',
  '--insecure': 'TLS : ne pas vérifier que le certificat du broker est bien pour le nom d’hôte donné (l’autorité reste vérifiée)',
  '--tls-use-os-certs': 'TLS avec les autorités auxquelles Node.js fait confiance (comme mqtts:// sans --cafile) ; active TLS, port 8883',
  '--nodelay': 'accepté pour la compatibilité : mqtt-pair désactive toujours Nagle',
  '--help': 'ce texte',
};

export const HELP_FR: Record<string, CommandHelp> = {
  setup: {
    title: 'mqtt-pair setup : régler une carte branchée en USB (Improv Wi-Fi), sans Chrome',
    flags: {
      '--port': 'le port série de la carte (COM3 sous Windows)',
      '--list': 'lister les ports série, les cartes d’abord, et s’arrêter',
      '--roster':
        'la liste de la classe, un binôme par ligne (un ou deux prénoms, par exemple alice bob) : la carte va au prochain élève qui n’en a pas encore',
      '--replace': 'avec --roster : une nouvelle carte pour cet élève (la sienne est cassée) : la carte de --port, sinon la prochaine branchée',
      '--program': 'avec --port : le programme d’un élève (un fichier JavaScript) que la carte reçoit après ses réglages et lance à la place de son rôle',
      '--school': 'avec --roster : le premier niveau des topics',
      '--class': 'avec --roster : le deuxième niveau des topics',
      '--ssid': 'le nom du WiFi',
      '--password': 'le mot de passe du WiFi (envoyé à la carte seulement, jamais affiché)',
      '--broker': 'le broker, donné à la carte ; puis attendre là le premier message de la carte',
      '--wait': 'combien de secondes attendre le WiFi et le premier message (par défaut : 90)',
      '--web': 'servir la page de réglage de la classe sur http://127.0.0.1:<port>/ (Chrome ou Edge : Web Serial), au lieu de --port',
      '--image': 'avec --web : l’image à installer, faite par mqtt-pair image (son manifest.json)',
      '--lang': 'avec --web : la langue de la page (par défaut : celle du navigateur)',
      '--help': 'ce texte',
    },
    footer: [
      `clé=valeur : n’importe quel réglage de la carte (${SETTINGS.map((s) => s.key).join(', ')}), par exemple role=hello interval=2000.`,
      'Avec --roster, les élèves vont deux par deux : le 1er a l’ESP#1 (rôle hello), le 2e l’ESP#2 (rôle responder),',
      'tous deux sur <école>/<classe>/<1er prénom>/ ; quelle carte a pris quel élève est gardé dans <liste>.boards.json.',
      '',
      'Exemple, une carte après l’autre :',
      '  mqtt-pair setup --port /dev/ttyUSB0 --roster classe.txt --school LycMaurois --class SNT_2nde \\',
      '      --ssid WiFiClasse --password secret --broker 192.168.1.144',
    ],
  },
  image: {
    title: 'mqtt-pair image : l’image de la classe, à partir de la compilation mcconfig, pour ESP Web Tools et esptool',
    flags: {
      '-p': 'la plateforme de la compilation, comme pour mcconfig : esp32, esp32/esp32c3, esp32/esp32s3, esp',
      '-o': 'le dossier de sortie de mcconfig, quand la compilation a été faite avec -o (par défaut : $MODDABLE/build)',
      '--out': 'où écrire l’image (par défaut : build/image/<plateforme>)',
      '--help': 'ce texte',
    },
    footer: [
      'Compilez d’abord une fois, depuis la racine du dépôt : mcconfig -m -t build -p esp32',
      'Puis : mqtt-pair setup --web 8090 --image build/image/esp32 (installer et régler chaque carte dans Chrome),',
      'ou build/image/esp32/write_flash.sh (esptool) sur n’importe quel ordinateur.',
      'Quel -p pour quelle carte : docs/flashing.fr.md.',
    ],
  },
  explore: {
    title:
      'mqtt-pair explore : le broker dans un navigateur, comme MQTT Explorer le montre : l’arbre des topics avec leurs nombres et dernières valeurs, l’historique d’un topic, les courbes des topics numériques, et l’effacement des messages retenus d’une branche.',
    flags: {
      '--broker':
        'le broker : hôte[:port], mqtt://[utilisateur:motdepasse@]hôte[:port], mqtts://… (TLS, port 8883), ws://hôte[:port][/chemin] ou wss://… (WebSocket, chemin /mqtt)',
      '-u': 'le nom d’utilisateur que le broker connaît (comme mosquitto_pub -u)',
      '-P': 'le mot de passe (avec -u) ; jamais affiché',
      '--cafile': 'avec mqtts:// ou wss:// : le certificat (PEM ou DER) de l’autorité qui a signé celui du broker',
      '--insecure': 'avec mqtts:// ou wss:// : ne pas vérifier le nom d’hôte du certificat du broker',
      '-t': 'ce qu’il faut explorer, + et # permis ; répétable (par défaut : #)',
      '--web': 'servir l’explorateur sur http://127.0.0.1:<port>/ (par défaut : 8081 ; 0 : un port libre)',
      '--lang': 'la langue de la page (par défaut : celle du navigateur)',
      '--max-topics': 'le nombre de topics gardés au plus (par défaut : 2000) ; les suivants sont comptés, pas gardés',
      '--history': 'les messages gardés par topic (par défaut : 50)',
      '--duration': 'arrêter au bout de ce nombre de secondes (par défaut : à Ctrl+C)',
      '--help': 'ce texte',
    },
    footer: [
      'Exemples :',
      "  mqtt-pair explore --broker 192.168.1.144 -t 'LycMaurois/SNT_2nde/#' --web 8081",
      '  mqtt-pair explore --broker ws://192.168.1.144:9001',
      'La page est servie sur 127.0.0.1 seulement : ouvrez-la sur cet ordinateur.',
    ],
  },
  pub: {
    title: 'mqtt-pair pub : publier un message sur un broker MQTT, avec les options de mosquitto_pub.',
    flags: {
      ...CLIENT,
      '-t': 'le topic où publier (sans + ni #)',
      '-m': 'le message à envoyer',
      '-f': 'envoyer le contenu d’un fichier, octet pour octet, comme message',
      '-n': 'envoyer un message vide (de longueur zéro) ; avec -r, il efface le message retenu',
      '-s': 'lire le message sur l’entrée standard, en entier comme un seul message',
      '-l': 'lire les messages sur l’entrée standard, un message par ligne',
      '-q': 'QoS 0, 1 ou 2 (par défaut : 0) ; avec 1 et 2, attendre l’accusé de réception du broker',
      '-r': 'retenu : le broker garde le message et le donne aux abonnés suivants',
      '--repeat': 'avec -m, -f, -n ou -s : publier le message ce nombre de fois',
      '--repeat-delay': 'avec --repeat : les secondes entre deux publications (par défaut : 0)',
      '-M': 'les messages QoS 1/2 envoyés et pas encore acquittés au plus, de 1 à 65535 (par défaut : 20, comme Mosquitto, qui jette ceux au-delà de sa fenêtre)',
    },
    footer: [
      'Exemples :',
      "  mqtt-pair pub -h 192.168.1.144 -t classe/hello -m 'Bonjour à tous'",
      '  mqtt-pair pub -h 192.168.1.144 -t classe/carte/led -m on -q 1 -r',
      '  mqtt-pair pub -L mqtt://alice:secret@192.168.1.144/classe/alice -m salut',
      '  mqtt-pair pub -L mqtts://192.168.1.144/classe/alice --cafile ca.crt -m salut     (TLS)',
      '  mqtt-pair pub -L ws://192.168.1.144:8080/mqtt/classe/alice -m salut            (WebSocket)',
      '  mqtt-pair pub -t classe/image -f photo.jpg',
      '  mqtt-pair pub -t classe/carte/led -r -n          (efface le message retenu)',
      'Code de sortie : 0 quand le broker a le message (QoS 1 et 2 attendent son accusé de réception),',
      'le code du CONNACK (1-5) si le broker refuse la connexion, 1 pour tout autre problème.',
    ],
  },
  sub: {
    title: 'mqtt-pair sub : s’abonner à des topics sur un broker MQTT et afficher les messages, avec les options de mosquitto_sub.',
    flags: {
      ...CLIENT,
      '-t': 'le filtre de topics où s’abonner, + et # permis ; répétez -t pour en ajouter',
      '-q': 'QoS 0, 1 ou 2 pour les abonnements (par défaut : 0)',
      '-v': 'afficher « topic message » au lieu du message seul',
      '-C': 's’arrêter après avoir affiché ce nombre de messages',
      '-W': 's’arrêter avec le code 27 au bout de ce nombre de secondes (décimales permises)',
      '-N': 'pas de retour à la ligne après chaque message',
      '-F': 'le format de sortie, comme mosquitto_sub 2.0 : %t topic, %p message, %q QoS, %r retenu, %l longueur, %m identifiant du message, %x/%X message en hexadécimal, %I heure ISO, %U heure Unix, %j JSON, %J JSON avec le message en JSON, %% un % ; @H @M @S … une heure strftime, @N nanosecondes ; largeur et alignement (%-20t, %05l) ; échappements \\n \\t \\\\',
      '-R': 'ne pas afficher les messages retenus (anciens)',
      '--retained-only': 'n’afficher que les messages retenus ; s’arrêter au premier message qui ne l’est pas',
      '--remove-retained':
        'effacer chaque message retenu reçu : publier un message retenu vide sur son topic (comme mosquitto_sub) ; demande une fin : --retained-only, -W ou -C',
      '-T': 'ne pas afficher les messages dont le topic correspond à ce filtre ; répétable',
      '-E': 's’arrêter dès que le broker a accepté les abonnements',
    },
    footer: [
      'Chaque message est affiché sur sa propre ligne de la sortie standard dès qu’il arrive : le message',
      'tel quel (octets inchangés), ou « topic message » avec -v (« topic (null) » pour un message vide).',
      'Si la connexion tombe après avoir marché, sub se reconnecte tout seul (1 s, puis jusqu’à 30 s d’écart) ;',
      'si la première connexion échoue, il s’arrête aussitôt. Ctrl+C se déconnecte proprement (sans testament) et sort avec 0.',
      '',
      'Exemples :',
      '  mqtt-pair sub -h 192.168.1.144 -t hello -v',
      "  mqtt-pair sub -h 192.168.1.144 -t 'classe/#' -v",
      '  mqtt-pair sub -L mqtt://alice:secret@192.168.1.144/classe/alice/# -v',
      "  mqtt-pair sub -L 'mqtts://192.168.1.144/classe/#' --cafile ca.crt -v     (TLS)",
      "  mqtt-pair sub -L 'wss://broker.example/mqtt/classe/#' -v                  (WebSocket sur TLS)",
      '  mqtt-pair sub -t classe/hello -C 1 -W 10       (attendre un message 10 s au plus)',
      "  mqtt-pair sub -t 'LycMaurois/SNT_2nde/#' --remove-retained --retained-only -W 5 -v",
      '                                                (effacer les messages retenus de la classe, en les listant)',
      'Code de sortie : 0 (-C atteint, -E, Ctrl+C), 27 quand -W est écoulé, le code du CONNACK (1-5)',
      'si le broker refuse la connexion, 1 pour tout autre problème.',
    ],
  },
};
