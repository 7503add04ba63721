// The simulated class's first names, French and English, in topic-safe ASCII.

export const FIRST_NAMES = (
  'alice bob camille david emma felix gabriel hugo ines jules karim lea louis manon nina oscar paul ' +
  'quentin rose sarah thomas ugo victor william xavier yasmine zoe adam chloe ethan jade lucas mia ' +
  'noah olivia raphael sofia theo lina leo clara arthur louise nathan charlotte james grace henry ' +
  'oliver amelia jack emily harry lily george sophie mathis eva tom anna maxime julie antoine lucie ' +
  'baptiste margot samuel juliette martin elise'
).split(' ');

/** n unique names: alice, bob, …, elise, alice2, bob2, … */
export function pairNames(n: number): string[] {
  const L = FIRST_NAMES.length;
  return Array.from({ length: n }, (_, i) => FIRST_NAMES[i % L] + (i >= L ? String(Math.floor(i / L) + 1) : ''));
}
