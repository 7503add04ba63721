// Preloaded (NODE_OPTIONS=--require) into a command to stand for a machine where the optional
// serialport package did not install (no prebuilt binary for it, npm install --omit=optional):
// requiring it fails as Node fails for a package that is not there.
'use strict';
const Module = require('node:module');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'serialport' || request.startsWith('@serialport/')) {
    const e = new Error(`Cannot find module '${request}'`);
    e.code = 'MODULE_NOT_FOUND';
    throw e;
  }
  return resolve.call(this, request, ...rest);
};
