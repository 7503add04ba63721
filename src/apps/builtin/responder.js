// ESP#2 : abonné au topic hello ; à chaque message reçu, répond « received » sur notification.
// C'est le programme du tutoriel MicroPython, écrit en JavaScript.
// ESP#2: subscribed to the topic hello; to each message it gets, answers "received" on
// notification. It is the MicroPython tutorial's program, written in JavaScript.

// sub_cb : chaque message reçu / each message received
function received(topic, msg) {
  print(`Received ${board.prefix}${topic}: ${msg}`);
  mqtt.publish('notification', 'received');
}

mqtt.subscribe('hello', received);
