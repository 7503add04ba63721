// The tests' Mosquitto: the same launcher the benchmark uses, with its skip helpers.
export * from '../../tools/mosquitto.mjs';
