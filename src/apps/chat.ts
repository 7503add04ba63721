// Seed 000's chat: each user publishes on <prefix><name> and listens on <prefix><peer>. The board's
// side is a program on the students' API (builtin/chat.js); the laptop's is `mqtt-pair chat`
// (tools/cli/chat.ts). Both write names in topics the same way, here.

/**
 * A first name as a topic level: in lower case, so that « Karim » on one side and « karim » on the
 * other meet (MQTT's topics tell case apart). Names are shown as typed.
 */
export function nameLevel(name: string): string {
  return name.toLowerCase();
}
