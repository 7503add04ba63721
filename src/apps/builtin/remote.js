// Télécommande : chaque appui sur un bouton de la carte publie sa commande sur remote/command, en
// QoS 1 (un appui fait pendant une coupure arrive une fois la connexion revenue) : up, down, left,
// right (les flèches) ou un nom de couleur. Sans boutons (board.buttons faux), elle joue up, right,
// down, left à tour de rôle à chaque intervalle, tant qu'elle est connectée, pour qu'un
// actionneur ait quelque chose à montrer.
// Remote control: each press of a button of the board publishes its command on remote/command, at
// QoS 1 (a press made while the connection is down arrives once it is back): up, down, left,
// right (the arrows) or a colour name. Without buttons (board.buttons false), it plays up, right,
// down, left in turn every interval while connected, so that an actuator has something to show.

let connected = false;
let played = 0; // commandes de la démo jouées / demo commands played

// Une commande que l'actionneur connaît ? / A command the actuator knows?
function isCommand(command) {
  switch (command) {
    case 'up':
    case 'down':
    case 'left':
    case 'right':
    case 'red':
    case 'green':
    case 'blue':
    case 'yellow':
    case 'cyan':
    case 'magenta':
    case 'white':
    case 'off':
      return true;
    default:
      return false;
  }
}

// Chaque appui / each press
function press(command) {
  // Majuscules et espaces mis à part / case and spaces aside
  const c = String(command).trim().toLowerCase();
  if (c === '') return;
  if (!isCommand(c)) {
    print(`"${command}" is not a command: use up, down, left, right or a colour (red, green, blue, yellow, cyan, magenta, white, off)`);
    return;
  }
  if (connected) print(`Sent ${c} on ${board.prefix}remote/command`);
  else print(`Queued ${c} on ${board.prefix}remote/command (waiting for the broker)`);
  mqtt.publish('remote/command', c, { qos: 1 });
}

// La démo, sans boutons / the demo, without buttons
function demo() {
  if (!connected) return;
  press(['up', 'right', 'down', 'left'][played % 4]);
  played += 1;
}

function onConnected() {
  connected = true;
}

function onDisconnected() {
  connected = false;
}

board.on('connected', onConnected);
board.on('disconnected', onDisconnected);
if (board.buttons) board.on('button', press);
else {
  print(`No buttons on this board: sending up, right, down, left in turn every ${(board.interval ?? 1000) / 1000} s`);
  every(board.interval ?? 1000, demo);
}
