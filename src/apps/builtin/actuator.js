// Actionneur : écoute les commandes sur remote/command et montre une couleur (board.colour) :
// une flèche en choisit une (up vert, down rouge, left jaune, right bleu), un nom de couleur
// montre cette couleur.
// Actuator: listens to the commands on remote/command and shows a colour (board.colour): an
// arrow picks one (up green, down red, left yellow, right blue), a colour name shows that colour.

// La couleur d'une commande, ou '' pour ce qui n'en est pas une.
// The colour a command shows, or '' for what is not a command.
function colourOf(command) {
  switch (command) {
    case 'up':
      return 'green';
    case 'down':
      return 'red';
    case 'left':
      return 'yellow';
    case 'right':
      return 'blue';
    case 'red':
    case 'green':
    case 'blue':
    case 'yellow':
    case 'cyan':
    case 'magenta':
    case 'white':
    case 'off':
      return command;
    default:
      return '';
  }
}

// Chaque commande reçue / each command received
function received(topic, msg) {
  print(`Received ${board.prefix}${topic}: ${msg}`);
  // Majuscules et espaces mis à part / case and spaces aside
  const command = String(msg).trim().toLowerCase();
  const colour = colourOf(command);
  if (colour === '') {
    print(`Unknown command "${msg}": use up, down, left, right or a colour (red, green, blue, yellow, cyan, magenta, white, off)`);
    return;
  }
  print(command === colour ? `Colour: ${colour}` : `Colour: ${colour} (${command})`);
  board.colour(colour);
}

// La LED éteinte au départ / the LED off at first
board.colour('off');
mqtt.subscribe('remote/command', received);
