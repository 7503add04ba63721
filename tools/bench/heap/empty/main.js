// The benchmark's baseline: an app that does nothing but keep a timer.
import Timer from "timer";

export default function main() {
	Timer.repeat(() => {}, 1000);
}
