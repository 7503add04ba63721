// A password in every form a broker value can take, for the tests that look for it everywhere.

/** Values that hold the password S3cretPW (or a part of it), in every form people write. */
export const SECRET = 'S3cretPW';
export const SECRET_FORMS = [
  `mqtt://teacher@school.fr:${SECRET}@127.0.0.1`,
  `mqtt://@:${SECRET}@127.0.0.1`,
  `mqtt://:${SECRET}@127.0.0.1`,
  `mqtt://teacher:${SECRET}@127.0.0.1:1883`,
  `MQTTS://teacher:${SECRET}@[::1]:8883`,
  `ws://teacher@school.fr:${SECRET}@127.0.0.1:9001/mqtt`,
  `wss://t%40s:${SECRET}%2Fx@127.0.0.1/ws`,
  `mqtt://teacher:${SECRET}/x@y@127.0.0.1`,
  `mqtt://teacher:${SECRET}:more@127.0.0.1`,
  `  mqtt://teacher:${SECRET}@127.0.0.1  `,
  `teacher:${SECRET}@127.0.0.1`,
  `teacher@school.fr:${SECRET}@127.0.0.1:1883`,
  // Wrong in some way: the error must not show it either.
  `mqtt://teacher@school.fr:${SECRET}@host:99999`,
  `mqtt://teacher@school.fr:${SECRET}@`,
  `http://teacher@school.fr:${SECRET}@host`,
  `mqtt://teacher:${SECRET}`,
  `mqtt://teacher@school.fr:${SECRET}`,
  `mqtt://teacher@school.fr:${SECRET}/class/t`,
  `mqtt://teacher:${SECRET}/x`,
  `teacher:${SECRET}`,
  `mqtt://teacher:%zz${SECRET}@host`,
  `mqtt://teacher:${SECRET}@host/with/a/path`,
  `ws://teacher:${SECRET}@host/a b`,
];
