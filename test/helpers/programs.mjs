// A student's program as the tests send it to a board: ESP#1's hello loop, in the program API
// (docs/programs.md), its hellos every 5 s.
export const ESP1_PROGRAM = `let count = 0;
mqtt.subscribe('notification', (topic, message) => {
  print('Received notification:', message);
  if (message === 'received') print('ESP received hello message');
});
every(5000, () => { mqtt.publish('hello', 'Hello #' + count); count += 1; });
`;
