// Which CPUs the bench (its clients) and Mosquitto run on, with taskset where it is installed.
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { findExecutable } from '../mosquitto.mjs';

export const taskset = findExecutable('taskset');
export const twoCpus = cpus().length >= 2;
function pin(pid, list) {
  if (!taskset) return false;
  return spawnSync(taskset, ['-a', '-p', '-c', list, String(pid)], { stdio: 'ignore' }).status === 0;
}
/** 'one': clients and broker share CPU 0; 'two': clients on CPU 0, broker on CPU 1. */
export function place(broker, placement) {
  const a = pin(process.pid, '0');
  const b = pin(broker.pid, placement === 'one' ? '0' : '1');
  return a && b;
}
export function unpin(broker) {
  const all = `0-${cpus().length - 1}`;
  pin(process.pid, all);
  if (broker?.pid) pin(broker.pid, all);
}
