// The benchmark's anchor: the seed's ESP#1 written on the Moddable SDK's own "mqtt" module
// (QoS 0 only, no reconnection), as a maker would write it. It publishes "Hello #N" on "hello"
// and prints what arrives on "notification". (The bench gives the topics a prefix, read from
// mc/config where it is used so that no closure keeps one more variable.)
import Client from "mqtt";
import Timer from "timer";
import config from "mc/config";

export default function main() {
	let count = 0;
	const client = new Client({ host: config.host, port: Number(config.port), id: "esp1-moddable-mqtt", timeout: 60000 });
	client.onReady = () => {
		trace(`Connected to ${config.host} MQTT broker, subscribed to ${config.prefix}notification topic\n`);
		client.subscribe(config.prefix + "notification");
		Timer.repeat(() => {
			const message = `Hello #${++count}`;
			client.publish(config.prefix + "hello", message);
			trace(`Sent: ${message}\n`);
		}, Number(config.interval));
	};
	client.onMessage = (topic, body) => {
		trace(`Message received: ${String.fromArrayBuffer(body)}\n`);
	};
	client.onClose = () => {
		trace("Connection lost\n");
	};
}
