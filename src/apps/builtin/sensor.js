// Capteur (station météo) : à chaque intervalle (1 s sauf réglage), publie la température et la
// pression, retenues (retain), en nombres décimaux (« 20.7 », « 1013.2 ») sur
// myRasp/sensors/temperature et myRasp/sensors/pression ; myRasp/sensors/status dit « online »
// (retenu) à chaque connexion. Sans capteur sur la carte (board.sensor() donne null), les valeurs
// sont simulées : 20 à 21 °C, 1012,5 à 1013,5 hPa.
// Sensor (weather station): every interval (1 s unless set), publishes the temperature and the
// pressure, retained, as decimal numbers ("20.7", "1013.2") on myRasp/sensors/temperature and
// myRasp/sensors/pression; myRasp/sensors/status says "online" (retained) at each connection.
// Without a sensor on the board (board.sensor() gives null), the values are simulated: 20 to
// 21 °C, 1012.5 to 1013.5 hPa.
// (« offline » est la dernière volonté de la carte, que la carte elle-même envoie, pas ce programme.)
// ("offline" is the board's last will, which the board itself sends, not this program.)

let connected = false;
let sent = false; // une mesure est partie au dernier tic / a reading went at the last tick
let simulated = false;

// Une mesure, publiée seulement quand la carte est connectée : plus tard, elle ne vaudrait rien.
// A reading, published only while the board is connected: later it would be worth nothing.
function publish() {
  sent = connected;
  if (!connected) return;
  let reading;
  try {
    reading = board.sensor() ?? { temperature: 20 + Math.random(), pressure: 1012.5 + Math.random() };
  } catch (e) {
    print(`Sensor error: ${e?.message ?? e}`);
    return;
  }
  const t = reading.temperature;
  const p = reading.pressure;
  if (!Number.isFinite(t) || !Number.isFinite(p)) {
    print(`Sensor error: no reading (temperature ${t}, pressure ${p})`);
    return;
  }
  const temperature = t.toFixed(1);
  const pressure = p.toFixed(1);
  mqtt.publish('myRasp/sensors/temperature', temperature, { retain: true });
  mqtt.publish('myRasp/sensors/pression', pressure, { retain: true });
  print(`Published temperature ${temperature} °C, pressure ${pressure} hPa`);
}

// Connectée : « online », et une mesure tout de suite (sauf s'il en est partie une au dernier tic).
// Connected: "online", and a reading at once (unless one went at the last tick).
function onConnected() {
  connected = true;
  mqtt.publish('myRasp/sensors/status', 'online', { qos: 1, retain: true });
  if (sent) return;
  cancel(ticks);
  ticks = every(board.interval ?? 1000, publish);
  publish();
}

function onDisconnected() {
  connected = false;
}

// Un capteur sur la carte ? / A sensor on the board?
try {
  simulated = board.sensor() === null;
} catch {
  // un capteur, qui n'a pas répondu cette fois / a sensor, which did not answer this time
}
if (simulated) print('No sensor on this board: publishing simulated values (20 to 21 °C, about 1013 hPa)');
print(
  `Publishing every ${(board.interval ?? 1000) / 1000} s on ${board.prefix}myRasp/sensors/temperature and ${board.prefix}myRasp/sensors/pression, status on ${board.prefix}myRasp/sensors/status`,
);
let ticks = every(board.interval ?? 1000, publish);
board.on('connected', onConnected);
board.on('disconnected', onDisconnected);
