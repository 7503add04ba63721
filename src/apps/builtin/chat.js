// Chat : la carte publie sur le topic à son nom (board.name) et écoute celui de son pair
// (board.peer). Une carte n'a pas de clavier : à chaque ligne du pair, elle répond
// « echo: <ligne> » sur son propre topic. Un écho n'est jamais renvoyé : deux cartes qui se
// parlent restent calmes.
// Chat: the board publishes on the topic of its name (board.name) and listens on its peer's
// (board.peer). A board has no keyboard: to each line from its peer it answers
// "echo: <line>" on its own topic. An echo is never echoed: two boards chatting stay quiet.

// Les noms en minuscules dans les topics : « Karim » et « karim » se retrouvent.
// Names in lower case in topics: "Karim" and "karim" meet.
const mine = board.name.toLowerCase();

// Chaque ligne du pair / each line from the peer
function received(topic, msg) {
  print(`Received ${board.prefix}${topic}: ${msg}`);
  if (typeof msg === 'string' && msg !== '' && !msg.startsWith('echo: ')) mqtt.publish(mine, `echo: ${msg}`, { qos: 1 });
}

if (board.peer) mqtt.subscribe(board.peer.toLowerCase(), received);
