// mqtt-pair/restart on the desktop simulators (mac, lin, win): there is no board to reset, so say
// so; the host then starts the firmware again instead.
export default function restart() {
	return false;
}
